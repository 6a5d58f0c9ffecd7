import fs from "node:fs";

import { EmulatorError } from "./emulator-error.js";

/** One `cron.yaml` entry the emulator can drive. */
export interface CronJob {
  readonly url: string;
  readonly schedule: string;
  /** The schedule's interval. */
  readonly everyMs: number;
  /** Where the entry starts in the file, 1-based, for messages. */
  readonly line: number;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  minute: 60_000,
  minutes: 60_000,
  min: 60_000,
  mins: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
};
const INTERVAL = /^every\s+(\d+)\s+([a-z]+)$/;

/**
 * Reads the jobs of an App Engine `cron.yaml`, such as `taskgen generate` writes. Only interval
 * schedules (`every N minutes`, `every N hours`) are understood; every problem in the file is
 * collected and reported in one error, each as `path:line - message`.
 */
export async function readCronFile(file: string): Promise<CronJob[]> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new EmulatorError(`Cannot read the cron file ${file}`, { cause: error });
  }

  const { LineCounter, isMap, isSeq, parseDocument } = await loadYaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const problems = document.errors.map(
    (error) => `${file}:${error.linePos?.[0].line ?? 1} - ${error.message.split("\n")[0]}`,
  );
  if (problems.length > 0) throw new EmulatorError(problems.join("\n"));

  const entries = document.get("cron");
  if (!isSeq(entries)) {
    throw new EmulatorError(`${file}:1 - the file has no "cron:" list of jobs`);
  }

  const jobs: CronJob[] = [];
  for (const entry of entries.items) {
    const line = lines.linePos(isMap(entry) ? (entry.range?.[0] ?? 0) : 0).line;
    const url = isMap(entry) ? entry.get("url") : undefined;
    const schedule = isMap(entry) ? entry.get("schedule") : undefined;
    if (typeof url !== "string" || !url.startsWith("/")) {
      problems.push(`${file}:${line} - the job's url must be a path starting with "/"`);
      continue;
    }
    const everyMs = typeof schedule === "string" ? intervalMs(schedule) : undefined;
    if (everyMs === undefined) {
      problems.push(
        `${file}:${line} - schedule ${JSON.stringify(schedule ?? "")} of ${url} is not ` +
          `supported by the emulator; use "every N minutes" or "every N hours"`,
      );
      continue;
    }
    jobs.push({ url, schedule: String(schedule), everyMs, line });
  }

  if (problems.length > 0) throw new EmulatorError(problems.join("\n"));
  return jobs;
}

async function loadYaml(): Promise<typeof import("yaml")> {
  try {
    return await import("yaml");
  } catch (error) {
    throw new EmulatorError("Reading a cron file needs the yaml package: npm install yaml", {
      cause: error,
    });
  }
}

/** `every 15 minutes` → 900000; undefined for any other form. */
export function intervalMs(schedule: string): number | undefined {
  const match = INTERVAL.exec(schedule.trim());
  const count = Number(match?.[1]);
  const unit = UNIT_MS[match?.[2] ?? ""];
  if (!unit || !(count > 0)) return undefined;
  return count * unit;
}
