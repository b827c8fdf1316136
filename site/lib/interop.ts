// The JavaScript side of the string round trip in "Talking to JavaScript"
// (public/examples/ch07-greet.wat): encode a string as UTF-8, copy it into the
// module's linear memory, call an export with (pointer, length), and decode the
// (pointer, length) it returns. The JS API is https://webassembly.github.io/spec/js-api/;
// strings cross as bytes because a module can only see numbers and its memory.

/** What ch07-greet.wasm exports. */
export interface GreetExports {
  readonly memory: WebAssembly.Memory;
  alloc(size: number): number;
  /** Two results (multi-value) arrive in JavaScript as an array. */
  greet(ptr: number, len: number): [number, number];
}

/** Every step of one round trip, for the lesson to show. */
export interface RoundTrip {
  /** The UTF-8 bytes of the input (what TextEncoder produced). */
  readonly input: Uint8Array;
  /** Where alloc put them. */
  readonly inputPtr: number;
  /** The pointer and length greet returned. */
  readonly outputPtr: number;
  readonly outputLength: number;
  /** A copy of the bytes at that pointer. */
  readonly output: Uint8Array;
  /** Those bytes decoded as UTF-8. */
  readonly text: string;
  /** The memory's size in bytes before and after the call. */
  readonly memoryBefore: number;
  readonly memoryAfter: number;
}

/** Checks that an instance's exports have the shape this module needs. */
export function greetExports(exports: WebAssembly.Exports): GreetExports {
  const { memory, alloc, greet } = exports as Record<string, unknown>;
  if (!(memory instanceof WebAssembly.Memory) || typeof alloc !== 'function' || typeof greet !== 'function') {
    throw new Error('the module does not export memory, alloc and greet');
  }
  return exports as unknown as GreetExports;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Sends `name` through greet and reads the answer back out of memory. */
export function roundTrip(wasm: GreetExports, name: string): RoundTrip {
  const input = encoder.encode(name);
  const memoryBefore = wasm.memory.buffer.byteLength;
  const inputPtr = wasm.alloc(input.length);
  // Views must be made after every call that may grow the memory: growing replaces
  // memory.buffer and detaches the old ArrayBuffer (its length becomes 0).
  new Uint8Array(wasm.memory.buffer, inputPtr, input.length).set(input);
  const [outputPtr, outputLength] = wasm.greet(inputPtr, input.length);
  const output = new Uint8Array(wasm.memory.buffer, outputPtr, outputLength).slice();
  return {
    input,
    inputPtr,
    outputPtr,
    outputLength,
    output,
    text: decoder.decode(output),
    memoryBefore,
    memoryAfter: wasm.memory.buffer.byteLength,
  };
}

/** One line of a hex dump: an address, up to 16 bytes in hex, and them as printable ASCII. */
export interface HexRow {
  readonly address: string;
  readonly hex: string;
  readonly ascii: string;
}

/** Lays `bytes`, which start at `address` in memory, out as hex-dump rows of 16. */
export function hexRows(bytes: Uint8Array, address: number): HexRow[] {
  const rows: HexRow[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = [...bytes.subarray(at, at + 16)];
    rows.push({
      address: `0x${(address + at).toString(16).padStart(5, '0')}`,
      hex: chunk.map((b) => b.toString(16).padStart(2, '0')).join(' '),
      // Anything outside printable ASCII (including each byte of a multi-byte UTF-8
      // character) shows as a dot, as in any hex dump.
      ascii: chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join(''),
    });
  }
  return rows;
}
