/** An error's message for a log line or a failure reason; its name when the message is empty. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
