import { describeError } from "../describe-error.js";
import { renewalIntervalMs } from "../lease-renewal.js";
import type { Logger } from "../logger.js";
import type { RuntimeContext } from "../runtime-options.js";
import { encodeRun, type IterRun } from "./iter-run.js";

/**
 * Keeps a step's claim while the step runs: every third of the lease it moves the claim's end
 * forward with a compare-and-set, so a step that outlasts the lease is not taken over by another
 * worker while it still runs. A worker that dies stops renewing, and its claim runs out.
 */
export class ClaimKeeper {
  readonly #ctx: RuntimeContext<unknown>;
  readonly #key: string;
  /** The record before the claim. */
  readonly #run: IterRun;
  readonly #token: string;
  readonly #log: Logger;
  readonly #timer: NodeJS.Timeout;
  /** The record as this worker last wrote it: what the step's outcome must replace. */
  #current: string;
  #renewing: Promise<void> = Promise.resolve();
  #lost = false;

  constructor(
    ctx: RuntimeContext<unknown>,
    key: string,
    run: IterRun,
    token: string,
    claimed: string,
    log: Logger,
  ) {
    this.#ctx = ctx;
    this.#key = key;
    this.#run = run;
    this.#token = token;
    this.#log = log;
    this.#current = claimed;
    this.#timer = setInterval(() => {
      // Chained, so the step's outcome is written only after a renewal under way.
      this.#renewing = this.#renewing.then(() => this.#renew());
    }, renewalIntervalMs(ctx.iterStepLeaseMs));
    // A step in progress keeps the process alive by itself; this timer need not.
    this.#timer.unref();
  }

  /** Stops renewing; resolves to the record as this worker last wrote it. */
  async stop(): Promise<string> {
    clearInterval(this.#timer);
    await this.#renewing;
    return this.#current;
  }

  async #renew(): Promise<void> {
    if (this.#lost) return;

    const claim = { token: this.#token, until: this.#ctx.now() + this.#ctx.iterStepLeaseMs };
    const renewed = encodeRun({ ...this.#run, claim });
    try {
      if (await this.#ctx.state.compareAndSet(this.#key, this.#current, renewed)) {
        this.#current = renewed;
        return;
      }
    } catch (error) {
      // The claim still has two renewals' time left: try again at the next one.
      this.#log.warn(`step ${this.#run.step}: renewing its claim failed: ${describeError(error)}`);
      return;
    }
    this.#lost = true;
    this.#log.warn(
      `step ${this.#run.step} outlasted its claim and another worker took the step over`,
    );
  }
}
