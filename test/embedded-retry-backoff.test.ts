import { suite } from "uvu";
import * as assert from "uvu/assert";

import { DEFAULT_RETRY_BACKOFF, retryDelayMs } from "../runtime/embedded/index.js";

const RetryBackoff = suite("retryDelayMs");

const HOUR = 60 * 60 * 1000;

const CASES: readonly [attempt: number, random: number, expected: number][] = [
  [0, 0, 1000],
  [1, 0, 2000],
  [5, 0, 32_000],
  [11, 0, 2_048_000],
  [12, 0, HOUR],
  [10_000, 0, HOUR],
  [0, 0.5, 750],
  [3, 0.999, 4004],
  [20, 0.5, 0.75 * HOUR],
];

for (const [attempt, random, expected] of CASES) {
  RetryBackoff(`after attempt ${attempt} with random ${random}: ${expected} ms`, () => {
    assert.is(
      retryDelayMs(DEFAULT_RETRY_BACKOFF, attempt, () => random),
      expected,
    );
  });
}

RetryBackoff("follows the configured base, factor and cap, without jitter", () => {
  const backoff = { baseMs: 100, factor: 3, maxMs: 1000, jitter: 0 };

  assert.equal(
    [0, 1, 2, 3].map((attempt) => retryDelayMs(backoff, attempt, Math.random)),
    [100, 300, 900, 1000],
  );
});

RetryBackoff.run();
