/**
 * Thrown when a value cannot be encoded into a task envelope, or a text is not a valid envelope.
 * The message names the place and quotes the bad value; `path` holds the place alone, such as
 * `payload[2].when` or `env.custom`, and is empty when the envelope as a whole is at fault.
 */
export class CodecError extends Error {
  /** Where in the envelope the problem is, as a JavaScript access path; `""` for the whole. */
  readonly path: string;

  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CodecError";
    this.path = path;
  }
}
