// The binary layer's error (https://webassembly.github.io/spec/core/binary/index.html).
// Every engine error carries where it happened so a view can point at it, and keeps the
// spec test suite's wording apart from the location suffix (`specMessage`).

/** Raised while decoding the binary format (spec chapter 5, "Binary Format"). */
export class DecodeError extends Error {
  /** Byte offset from the start of the module. */
  readonly offset: number;
  readonly specMessage: string;
  constructor(message: string, offset: number) {
    super(`${message} (at byte 0x${offset.toString(16)})`);
    this.name = 'DecodeError';
    this.offset = offset;
    this.specMessage = message;
  }
}
