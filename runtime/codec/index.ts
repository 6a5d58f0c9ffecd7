/**
 * The envelope codec: how a queued task is written, read and signed. The wire format is
 * specified in `envelope.ts`.
 */

export { CodecError } from "./codec-error.js";
export { decodeEnvelope } from "./decode-envelope.js";
export { encodeEnvelope } from "./encode-envelope.js";
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  ENVELOPE_VERSION,
  type CodecOptions,
  type Envelope,
  type TaskEnvironment,
} from "./envelope.js";
export { sign, verify } from "./signature.js";
