/**
 * Dispatch cost per task: decode the envelope, validate the arguments with the generated check,
 * and call the task through the generated table, against a hand-written baseline of
 * `JSON.parse`, a Map look-up and a direct call of the same function, in the same run. The
 * signature check (HMAC-SHA256) is measured on its own, as the transport's part.
 *
 *   node --import tsx bench/runtime.ts   (runs this with the cold-start benchmark)
 */
import { performance } from "node:perf_hooks";

import { median } from "./child-run.js";

export interface DispatchResult {
  readonly baselineNs: number;
  readonly dispatchNs: number;
  readonly signatureNs: number;
  readonly ratio: number;
}

const SECRET = "benchmark secret of enough length";

export async function measureDispatch(rounds = 15, iterations = 100_000): Promise<DispatchResult> {
  const taskgen = await import("taskgen");
  const app = await import("../test/fixtures/runtime-app/src/app.js");
  const { dispatchTable } = await import("../test/fixtures/runtime-app/src/generated/dispatch.js");
  const { dispatchTask } = await import("../dist/runtime/deliver-task.js");

  let queued = "";
  const transport = {
    enqueue: async (task: { body: string }) => {
      queued = task.body;
      return { queued: true as const, id: "1" };
    },
    start: async () => {},
    stop: async () => {},
  };
  const runtime = taskgen.createRuntime({
    table: dispatchTable,
    instances: { Mailer: new app.Mailer() },
    transport,
    secret: SECRET,
  });
  await runtime.enqueue("notify", ["ana@example.com", 2]);
  const body = queued;
  const signature = taskgen.signTaskBody(body, SECRET);
  const delivery = { id: "1", route: "deferred" as const, body, signature, queue: "q", attempt: 0 };

  // The same function the task runs, looked up and called by hand.
  const direct = async (user: string, times: number) => {
    app.log.push(`notify ${user} x${times}`);
  };
  const handlers = new Map<string, (...args: never[]) => Promise<void>>([["notify", direct]]);

  const baseline = async () => {
    const envelope = JSON.parse(body) as { task: string; payload: [string, number] };
    const fn = handlers.get(envelope.task) as typeof direct;
    await fn(...envelope.payload);
  };
  // Called as a transport calls it: the outcome is checked by the timing loop, as is the
  // baseline's, so neither pays for a wrapper of the benchmark's own.
  const dispatch = () => dispatchTask(runtime.context, delivery);
  const verify = async () => {
    if (!taskgen.verifyTaskBody(body, signature, SECRET)) throw new Error("bad signature");
  };

  const time = async (fn: () => Promise<{ status: string } | void>) => {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      const outcome = await fn();
      if (outcome && outcome.status !== "done") {
        throw new Error(`dispatch failed: ${JSON.stringify(outcome)}`);
      }
      if (app.log.length > 10_000) app.log.length = 0;
    }
    return ((performance.now() - start) * 1e6) / iterations;
  };

  // Warm both paths, then alternate them so drift in the machine hits both alike; the ratio is
  // the median of each round's ratio, which a slow moment of a noisy machine sways least.
  await time(baseline);
  await time(dispatch);
  const samples = { baseline: [] as number[], dispatch: [] as number[], verify: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const baselineNs = await time(baseline);
    const dispatchNs = await time(dispatch);
    samples.baseline.push(baselineNs);
    samples.dispatch.push(dispatchNs);
    ratios.push(dispatchNs / baselineNs);
    samples.verify.push(await time(verify));
  }
  await runtime.stop();

  return {
    baselineNs: median(samples.baseline),
    dispatchNs: median(samples.dispatch),
    signatureNs: median(samples.verify),
    ratio: median(ratios),
  };
}

export function formatDispatch(result: DispatchResult): string {
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
  return [
    "| path | per task | ratio to baseline |",
    "| --- | --- | --- |",
    `| baseline: JSON.parse, Map look-up, direct call | ${us(result.baselineNs)} | 1.00x |`,
    `| taskgen dispatch: decode, validate, call | ${us(result.dispatchNs)} | ${result.ratio.toFixed(2)}x |`,
    `| signature check (HMAC-SHA256), the transport's part | ${us(result.signatureNs)} | — |`,
    "",
    `Goal: dispatch at most 1.5x the baseline: ${result.ratio <= 1.5 ? "pass" : "FAIL"}.`,
  ].join("\n");
}
