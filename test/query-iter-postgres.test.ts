import pg from "pg";

import { iteratorSuite } from "./helpers/iter-suite.js";

// The CI server: trust auth on localhost (.ci/run starts it when it is not running).
const SERVER = { host: "127.0.0.1", port: 5432, user: "postgres", database: "test" };

iteratorSuite(async () => {
  const { postgresQuerySource } = await import("taskgen");
  // Each run gets its own schema, so parallel runs and leftovers of a crashed one never meet.
  const schema = `taskgen_iter_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const pool = new pg.Pool({ ...SERVER, max: 8, options: `-c search_path=${schema}` });
  await pool.query(`CREATE SCHEMA ${schema}`);

  return {
    name: "PostgreSQL",
    source: postgresQuerySource(pool),
    async fillRows(count) {
      await pool.query("DROP TABLE IF EXISTS rows");
      // integer, not bigint: pg returns int4 as a JS number, as the suite compares ids.
      await pool.query("CREATE TABLE rows (id integer PRIMARY KEY, grp integer NOT NULL)");
      await pool.query(
        "INSERT INTO rows (id, grp) SELECT g, g % 7 FROM generate_series(1, $1::integer) AS g",
        [count],
      );
      await pool.query("ANALYZE rows");
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      try {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
});
