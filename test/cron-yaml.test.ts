import fs from "node:fs";

import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";

import { copyFixture, generate, readOutputs } from "./fixtures/fixture-project.js";

// App Engine's documented cron.yaml rules, as far as taskgen's output uses them.
const MAX_ENTRIES = 250;
const ENTRY_KEYS = ["description", "url", "schedule", "target", "timezone", "retry_parameters"];
const TIME = String.raw`([01]\d|2[0-3]):[0-5]\d`;
const INTERVAL_SCHEDULE = new RegExp(
  String.raw`^every [1-9]\d* (minutes|mins|hours)( synchronized| from ${TIME} to ${TIME})?$`,
);

/** Lists every way a parsed document breaks App Engine's cron.yaml rules. */
function cronProblems(document: unknown): string[] {
  if (!isRecord(document)) return ["the document is not a mapping"];

  const problems = Object.keys(document)
    .filter((key) => key !== "cron")
    .map((key) => `unknown top-level key '${key}'`);
  const entries = document["cron"];

  if (!Array.isArray(entries)) return [...problems, "'cron' is not a list"];
  if (entries.length > MAX_ENTRIES) problems.push(`${entries.length} entries, over ${MAX_ENTRIES}`);

  entries.forEach((entry: unknown, index) => {
    problems.push(...entryProblems(entry).map((problem) => `cron[${index}]: ${problem}`));
  });
  return problems;
}

function entryProblems(entry: unknown): string[] {
  if (!isRecord(entry)) return ["not a mapping"];

  const problems = Object.keys(entry)
    .filter((key) => !ENTRY_KEYS.includes(key))
    .map((key) => `unknown key '${key}'`);
  const { url, description, schedule } = entry;

  if (typeof url !== "string" || !url.startsWith("/") || url.length > 500) {
    problems.push(`url ${JSON.stringify(url)} must be a path starting with / of ≤ 500 chars`);
  }
  if (description !== undefined && (typeof description !== "string" || description.length > 499)) {
    problems.push("description must be a string of ≤ 499 chars");
  }
  if (typeof schedule !== "string" || !INTERVAL_SCHEDULE.test(schedule)) {
    problems.push(`schedule ${JSON.stringify(schedule)} is not 'every N minutes|mins|hours'`);
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The checker itself must reject what App Engine rejects.
const BAD_DOCUMENTS: readonly [string, string, RegExp][] = [
  ["missing url", "cron:\n  - schedule: every 5 minutes\n", /url undefined/],
  ["relative url", "cron:\n  - url: tasks\n    schedule: every 5 minutes\n", /url "tasks"/],
  ["zero interval", "cron:\n  - url: /a\n    schedule: every 0 minutes\n", /schedule/],
  ["seconds", "cron:\n  - url: /a\n    schedule: every 5 seconds\n", /schedule/],
  ["missing schedule", "cron:\n  - url: /a\n", /schedule undefined/],
  ["unknown entry key", "cron:\n  - url: /a\n    schedule: every 1 hours\n    x: 1\n", /key 'x'/],
  ["unknown top key", "cron: []\njobs: []\n", /top-level key 'jobs'/],
  ["cron not a list", "cron: every 5 minutes\n", /not a list/],
  [
    "long description",
    `cron:\n  - url: /a\n    schedule: every 1 mins\n    description: ${"d".repeat(500)}\n`,
    /description/,
  ],
];

for (const [name, text, problem] of BAD_DOCUMENTS) {
  test(`the checker rejects a document: ${name}`, () => {
    const problems = cronProblems(parse(text));
    assert.ok(
      problems.some((p) => problem.test(p)),
      `${problem} in ${JSON.stringify(problems)}`,
    );
  });
}

test("the checker accepts App Engine's schedule variants", () => {
  for (const schedule of [
    "every 1 mins",
    "every 12 hours synchronized",
    "every 5 minutes from 10:00 to 14:00",
  ]) {
    assert.equal(cronProblems({ cron: [{ url: "/a", schedule }] }), [], schedule);
  }
});

// The shop fixture's cron groups and the schedule each must get.
const SCHEDULES: Readonly<Record<string, string>> = {
  default: "every 4 hours", // 4h
  fast: "every 1 minutes", // 30 s, finer than App Engine ticks
  hourly: "every 1 hours", // 3600 s
  reports: "every 5 minutes", // 300 s and 7200 s: the smallest wins
  tick: "every 1 minutes", // interval 0 only
};

interface ManifestTask {
  readonly id: string;
  readonly kind: string;
  readonly cronName?: string;
}

const shop = copyFixture("shop");
const empty = copyFixture("no-periodic");
const runs = [generate(shop), generate(empty)];
const shopOutputs = readOutputs(shop);
const shopCron = shopOutputs.get("cron.yaml") ?? "";
const shopDocument = parse(shopCron) as { cron: Record<string, string>[] };

test.after(() => {
  for (const dir of [shop, empty]) fs.rmSync(dir, { recursive: true, force: true });
});

test("generate succeeds on both fixtures", () => {
  for (const run of runs) assert.is(run.status, 0, run.output);
});

test("the shop's cron.yaml follows App Engine's rules", () => {
  assert.equal(cronProblems(shopDocument), []);
});

test("cron.yaml starts with the generated-file header", () => {
  const header = shopCron.split("\n").slice(0, 2);

  assert.equal(header, [
    "# Code generated by taskgen. DO NOT EDIT.",
    "# Source: tsconfig.json; regenerate with: npx taskgen generate -p tsconfig.json",
  ]);
});

test("one entry per cron group at /_tasks/cron/<group>, timed by its smallest interval", () => {
  const groups = shopDocument.cron.map((entry) => entry["url"]?.replace("/_tasks/cron/", ""));

  assert.equal(groups, Object.keys(SCHEDULES));
  for (const entry of shopDocument.cron) {
    const group = entry["url"]?.replace("/_tasks/cron/", "") ?? "";
    assert.is(entry["url"], `/_tasks/cron/${group}`);
    assert.is(entry["schedule"], SCHEDULES[group], group);
  }
});

test("each description names its group's task ids", () => {
  const manifest = JSON.parse(shopOutputs.get("manifest.json") ?? "") as {
    tasks: ManifestTask[];
  };

  for (const entry of shopDocument.cron) {
    const group = entry["url"]?.replace("/_tasks/cron/", "");
    const ids = manifest.tasks
      .filter((task) => task.kind === "periodic" && task.cronName === group)
      .map((task) => task.id);

    assert.ok(ids.length > 0, `no periodic task in group ${group}`);
    assert.is(entry["description"], `taskgen cron group ${group}: ${ids.sort().join(", ")}`);
  }
});

test("a project without periodic tasks gets an empty cron list", () => {
  const text = readOutputs(empty).get("cron.yaml") ?? "";

  assert.equal(parse(text), { cron: [] });
  assert.match(text, /^cron: \[\]$/m);
  assert.equal(cronProblems(parse(text)), []);
});

test.run();
