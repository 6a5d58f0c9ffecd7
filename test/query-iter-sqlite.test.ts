import Database from "better-sqlite3";

import { iteratorSuite } from "./helpers/iter-suite.js";

iteratorSuite(async () => {
  const { sqliteQuerySource } = await import("taskgen");
  const db = new Database(":memory:");
  return {
    name: "SQLite",
    source: sqliteQuerySource(db),
    async fillRows(count) {
      db.exec("DROP TABLE IF EXISTS rows");
      db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL)");
      const insert = db.prepare("INSERT INTO rows (id, grp) VALUES (?, ?)");
      db.transaction(() => {
        for (let id = 1; id <= count; id++) insert.run(id, id % 7);
      })();
    },
    async exec(sql) {
      db.exec(sql);
    },
    async close() {
      db.close();
    },
  };
});
