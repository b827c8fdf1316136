// WebAssembly.Memory (https://webassembly.github.io/spec/js-api/#memories) over the
// engine's MemoryInstance. The JS API gives JS one ArrayBuffer per memory size: growing
// the memory — from JS or by wasm's memory.grow — detaches the old buffer (its length
// becomes 0) and `buffer` returns a new one, even for a growth of 0 pages from JS.
//
// The engine's own growth moves the bytes with `ArrayBuffer.prototype.transfer`, which
// detaches the old buffer there and then (engine/exec/memory.ts), whoever grew it. What is
// left here is the growth by 0 pages, which the engine does not see as a change, and a
// buffer the engine dropped without detaching (the stepper going back before a grow
// rebuilds the memory): those are detached here.

import { DEFAULT_LIMITS, hostMemory, MAX_PAGES, MemoryInstance } from '../exec/index.ts';
import { dictionary, enforceRangeU32, webIdlInterface } from './idl.ts';

interface State {
  readonly mem: MemoryInstance;
  /** The buffer last given to JS: detached once the engine has moved to a newer one. */
  given: ArrayBuffer | undefined;
}

const states = new WeakMap<object, State>();
const objects = new WeakMap<MemoryInstance, Memory>();

function stateOf(m: unknown): State {
  const s = typeof m === 'object' && m !== null ? states.get(m) : undefined;
  if (s === undefined) throw new TypeError('not a WebAssembly.Memory');
  return s;
}

type Transferable = ArrayBuffer & { transfer(length?: number): ArrayBuffer; readonly detached: boolean };

function detach(buffer: ArrayBuffer): void {
  const b = buffer as Transferable;
  if (!b.detached) b.transfer(0);
}

/** The memory descriptor (https://webassembly.github.io/spec/js-api/#dictdef-memorydescriptor). */
export interface MemoryDescriptor {
  readonly initial: number | bigint;
  readonly maximum?: number | bigint;
  /** memory64: "i64" makes an i64 memory, whose sizes are BigInts. */
  readonly address?: 'i32' | 'i64';
}

/**
 * An AddressValue for an i64 memory (memory64, https://webassembly.github.io/memory64/js-api/):
 * ToBigInt (so a BigInt, a numeric string or a boolean, not a Number), in [0, 2^64 - 1].
 */
function u64(v: unknown, what: string): number {
  if (typeof v === 'number') throw new TypeError(`${what} of an i64 memory must be a BigInt, got a Number`);
  const n = BigInt(v as bigint | string | boolean);
  if (n < 0n || n > 0xffff_ffff_ffff_ffffn) throw new TypeError(`${what} must be in the range 0 to 2^64-1, got ${n}`);
  return Number(n);
}



export class Memory {
  constructor(descriptor: MemoryDescriptor) {
    const d = dictionary(descriptor, 'the memory descriptor');
    if (d.initial === undefined) throw new TypeError("the memory descriptor needs 'initial'");
    const address = d.address === undefined ? 'i32' : String(d.address);
    if (address !== 'i32' && address !== 'i64') throw new TypeError(`'address' must be "i32" or "i64", got "${address}"`);
    const size = address === 'i64' ? u64 : enforceRangeU32;
    const initial = size(d.initial, "'initial'");
    const maximum = d.maximum === undefined ? undefined : size(d.maximum, "'maximum'");
    if (d.shared !== undefined && Boolean(d.shared)) throw new TypeError('shared memories (threads proposal) are not supported');
    if (initial > MAX_PAGES) throw new RangeError(`'initial' ${initial} is above the limit of ${MAX_PAGES} pages`);
    if (maximum !== undefined && maximum > MAX_PAGES) throw new RangeError(`'maximum' ${maximum} is above the limit of ${MAX_PAGES} pages`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`'maximum' ${maximum} is below 'initial' ${initial}`);
    let mem: MemoryInstance;
    try {
      mem = address === 'i64'
        ? new MemoryInstance({ limits: { min: initial, ...(maximum === undefined ? {} : { max: maximum }), index64: true } }, DEFAULT_LIMITS.maxMemoryPages)
        : hostMemory(initial, maximum);
    } catch (e) {
      throw new RangeError(`could not allocate the memory: ${(e as Error).message}`);
    }
    register(this, mem);
  }

  /** The memory's bytes; a new ArrayBuffer after every growth (see the header). */
  get buffer(): ArrayBuffer {
    const s = stateOf(this);
    if (s.given !== s.mem.buffer) {
      if (s.given !== undefined) detach(s.given);
      s.given = s.mem.buffer;
    }
    return s.given;
  }

  /** Grows by `delta` pages; returns the old size in pages (a BigInt for an i64 memory), or throws RangeError. */
  grow(delta: number | bigint): number | bigint {
    const s = stateOf(this);
    const i64 = s.mem.type.limits.index64 === true;
    const d = i64 ? u64(delta, 'delta') : enforceRangeU32(delta, 'delta');
    const old = s.mem.grow(d);
    if (old === -1) throw new RangeError(`cannot grow the memory by ${d} pages: its maximum is ${s.mem.cap}`);
    // "Refresh the memory buffer": even a growth by 0 gives JS a fresh buffer. The engine
    // re-reads `buffer`/`bytes`/`view` after every host call, so replacing them here is safe
    // even while wasm is running below us.
    if (s.mem.buffer === s.given) {
      const fresh = (s.mem.buffer as Transferable).transfer();
      s.mem.buffer = fresh;
      s.mem.bytes = new Uint8Array(fresh);
      s.mem.view = new DataView(fresh);
      s.given = fresh;
    } else {
      if (s.given !== undefined) detach(s.given);
      s.given = s.mem.buffer;
    }
    return i64 ? BigInt(old) : old;
  }
}

webIdlInterface(Memory, 'Memory');

function register(m: Memory, mem: MemoryInstance): void {
  states.set(m, { mem, given: undefined });
  objects.set(mem, m);
}

/** The one Memory object of an engine memory (the JS API's memory object cache). */
export function wrapMemory(mem: MemoryInstance): Memory {
  let m = objects.get(mem);
  if (m === undefined) {
    m = Object.create(Memory.prototype) as Memory;
    register(m, mem);
  }
  return m;
}

/** The engine memory behind a Memory object, or undefined for any other value. */
export function memoryInstanceOf(v: unknown): MemoryInstance | undefined {
  return typeof v === 'object' && v !== null ? states.get(v)?.mem : undefined;
}
