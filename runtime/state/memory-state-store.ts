import type { StateStore } from "./state-store.js";

/** A state store in this process's memory: for tests and single-process apps that may forget. */
export class MemoryStateStore implements StateStore {
  readonly #lastRuns = new Map<string, number>();
  readonly #values = new Map<string, string>();

  async claimPeriodic(taskId: string, intervalMs: number, now: number): Promise<boolean> {
    // No await before the write: the check and the claim happen in one turn of the event loop.
    const last = this.#lastRuns.get(taskId);
    if (last !== undefined && now - last < intervalMs) return false;
    this.#lastRuns.set(taskId, now);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  async compareAndSet(key: string, expected: string | undefined, value: string): Promise<boolean> {
    if (this.#values.get(key) !== expected) return false;
    this.#values.set(key, value);
    return true;
  }
}
