import type { CronJob } from "./cron-file.js";
import { cronHeaders } from "./dispatch-headers.js";
import type { EmulatorContext } from "./emulator-options.js";
import type { HttpSender } from "./http-sender.js";

/** How long a cron request may take: App Engine's limit for automatically scaled services. */
const CRON_DEADLINE_MS = 10 * 60_000;

/**
 * Requests each cron job on its interval, as App Engine cron does for `every N minutes|hours`:
 * a GET of the target plus the job's url with `X-Appengine-Cron: true`, the next one an interval
 * after the previous one ended. A failed request is logged and not retried, App Engine's default
 * for jobs without `retry_parameters`.
 */
export class CronDriver {
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly context: EmulatorContext,
    private readonly jobs: readonly CronJob[],
    private readonly sender: HttpSender,
  ) {}

  start(): void {
    for (const job of this.jobs) this.#schedule(job);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(job: CronJob): void {
    if (this.#closed) return;
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      await this.#request(job);
      this.#schedule(job);
    }, this.context.cronEveryMs ?? job.everyMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #request(job: CronJob): Promise<void> {
    const url = this.context.target + job.url;
    const result = await this.sender.send({
      url,
      method: "GET",
      headers: cronHeaders(),
      body: Buffer.alloc(0),
      timeoutMs: CRON_DEADLINE_MS,
    });
    if (this.#closed) return;

    const ok = "status" in result && result.status >= 200 && result.status < 300;
    const outcome = "status" in result ? `answered ${result.status}` : `failed: ${result.error}`;
    if (ok) this.context.logger.info(`Cron ${job.url} (${job.schedule}) ${outcome}`);
    else this.context.logger.warn(`Cron ${job.url} (${job.schedule}) ${outcome}; not retried`);
  }
}
