/**
 * How often a worker renews a lease it holds: three times a lease, so that two renewals can be
 * missed (the event loop blocked, another process holding the store's lock) before the lease
 * runs out under work that is still running.
 */
export function renewalIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 3));
}
