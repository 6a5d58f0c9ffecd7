/**
 * The few pieces of the protocol buffer wire format the legacy key string needs: varints,
 * length-delimited fields and groups. The reader throws `Error`s with a lower-case message saying
 * what is wrong with the bytes, for the caller to wrap in an error of its own.
 */

/** Wire types, as the protocol buffer encoding numbers them. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder("utf-8", { fatal: true });

/** Appends protocol buffer fields to a growing byte list. */
export class ProtoWriter {
  private readonly bytes: number[] = [];

  /** Writes an unsigned varint; `value` must not be negative. */
  varint(value: number | bigint): this {
    let rest = BigInt(value);

    while (rest > 0x7fn) {
      this.bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }

    this.bytes.push(Number(rest));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** Writes a length-delimited field holding `value`. */
  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(value.length);
    this.bytes.push(...value);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, UTF8_ENCODER.encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** The tag of one field: its number and wire type. */
export interface ProtoField {
  readonly field: number;
  readonly wireType: number;
}

/** Reads protocol buffer fields from `bytes`, from `start` up to `end`. */
export class ProtoReader {
  private position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.position = start;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  /** Reads an unsigned varint of up to 64 bits. */
  varint(): bigint {
    let value = 0n;

    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();

      value |= BigInt(byte & 0x7f) << shift;

      if ((byte & 0x80) === 0) {
        return BigInt.asUintN(64, value);
      }
    }

    throw new Error(`a varint at byte ${this.position} runs over 10 bytes`);
  }

  field(): ProtoField {
    const tag = this.varint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);

    if (field === 0 || wireType > WIRE_FIXED32) {
      throw new Error(`a field tag at byte ${this.position} is malformed`);
    }

    return { field, wireType };
  }

  /** Reads the value of a length-delimited field as a reader over its bytes. */
  nested(): ProtoReader {
    const length = this.varint();
    const start = this.position;

    if (length > BigInt(this.end - start)) {
      throw new Error(`a field at byte ${start} is longer than the bytes left`);
    }

    this.position = start + Number(length);
    return new ProtoReader(this.bytes, start, this.position);
  }

  string(): string {
    const nested = this.nested();

    try {
      return UTF8_DECODER.decode(nested.bytes.subarray(nested.position, nested.end));
    } catch (error) {
      throw new Error(`a string at byte ${nested.position} is not valid UTF-8`, { cause: error });
    }
  }

  /** Skips the value of a field this reader does not know, groups included. */
  skip({ field, wireType }: ProtoField): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.nested();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      case WIRE_START_GROUP:
        this.skipGroup(field);
        return;
      default:
        throw new Error(`an end-group tag for field ${field} has no matching start`);
    }
  }

  private skipGroup(group: number): void {
    for (;;) {
      const inner = this.field();

      if (inner.wireType === WIRE_END_GROUP) {
        if (inner.field !== group) {
          throw new Error(`group ${group} ends with the tag of group ${inner.field}`);
        }

        return;
      }

      this.skip(inner);
    }
  }

  private byte(): number {
    if (this.position >= this.end) {
      throw new Error("the bytes end in the middle of a field");
    }

    return this.bytes[this.position++] as number;
  }

  private advance(count: number): void {
    if (this.end - this.position < count) {
      throw new Error("the bytes end in the middle of a field");
    }

    this.position += count;
  }
}
