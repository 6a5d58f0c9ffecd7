/** The emulator cannot start as configured: a bad option, a bad cron.yaml, a port in use. */
export class EmulatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EmulatorError";
  }
}
