/** Quotes a piece of (possibly hostile) JSON for an error message, cut short. */
export function quoteWire(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);

  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
