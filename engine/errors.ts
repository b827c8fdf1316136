// Typed engine errors, one class per phase of the spec's pipeline
// (https://webassembly.github.io/spec/core/appendix/implementation.html).
// Every error carries where it happened so a view can point at it.

/** A position in a binary module: byte offset from the start of the file. */
export interface ByteLocation {
  readonly offset: number;
}

/** Raised while decoding the binary format (spec chapter 5, "Binary Format"). */
export class DecodeError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte 0x${offset.toString(16)})`);
    this.name = 'DecodeError';
    this.offset = offset;
  }
  /** The message in the spec test suite's wording, without the location suffix. */
  get specMessage(): string {
    return this.message.replace(/ \(at byte 0x[0-9a-f]+\)$/, '');
  }
}
