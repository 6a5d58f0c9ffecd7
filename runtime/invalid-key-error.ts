/**
 * Thrown for a datastore key that cannot be: an empty path, an id out of range, a malformed
 * legacy key string. The message quotes the bad value; `cause` holds the underlying error, if
 * any.
 */
export class InvalidKeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidKeyError";
  }
}
