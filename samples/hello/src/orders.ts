import { callDeferred, noRetry, PeriodicTask, StartupTask, type Key } from "taskgen";

export type Channel = "mail" | "sms";

export interface Confirmation {
  readonly order: Key;
  readonly channel: Channel;
  readonly lines: readonly { sku: string; quantity: number }[];
  readonly note?: string;
}

export class Orders {
  readonly sent: Confirmation[] = [];

  /** Queued when called; the task later runs it with the same arguments. */
  @callDeferred({ queue: "mail" })
  async sendConfirmation(confirmation: Confirmation, resend = false): Promise<void> {
    if (resend || !this.sent.includes(confirmation)) this.sent.push(confirmation);
  }

  @callDeferred
  @noRetry
  static async audit(orderId: bigint, at: Date): Promise<void> {
    void [orderId, at];
  }

  @PeriodicTask({ interval: "1h", cronName: "hourly" })
  async expireCarts(): Promise<void> {}

  @StartupTask
  async warmUp(): Promise<void> {}
}
