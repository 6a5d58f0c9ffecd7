/** Seconds per unit of a duration string. */
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
const PART = /(\d+(?:\.\d+)?)([smhd])/g;
const WHOLE = /^(?:\d+(?:\.\d+)?[smhd])+$/;

/**
 * Parses a periodic interval: a number of seconds, or a string of number-unit parts such as
 * `"90s"`, `"5m"`, `"1h30m"` or `"1d"`. Returns the whole number of seconds, or an error text.
 */
export function parseDuration(value: string | number | boolean): number | string {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) {
      return `a number of seconds must be a whole number, 0 or more, not ${value}`;
    }
    return value;
  }
  if (typeof value !== "string" || !WHOLE.test(value)) {
    return (
      `${JSON.stringify(value)} is not a duration; ` +
      `write seconds as a number, or a string like "90s", "5m", "1h" or "1d"`
    );
  }
  let seconds = 0;
  for (const match of value.matchAll(PART)) {
    seconds += Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1);
  }
  if (!Number.isInteger(seconds)) {
    return `${JSON.stringify(value)} is ${seconds} seconds; intervals are whole seconds`;
  }
  return seconds;
}

/** App Engine cron's schedule for a tick every `seconds` (a multiple of 60). */
export function cronSchedule(seconds: number): string {
  const minutes = Math.max(1, Math.floor(seconds / 60));
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}
