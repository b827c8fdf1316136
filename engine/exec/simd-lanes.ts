// Lane-wise building blocks for engine/exec/simd.ts: the scratch v128 registers and the
// loops that the SIMD instructions share, one per lane operation of the spec.
// Numerics: https://webassembly.github.io/spec/core/exec/numerics.html
// Instructions: https://webassembly.github.io/spec/core/syntax/instructions.html#vector-instructions
//
// Why it looks like this
// - Every instruction works on four fixed 16-byte scratch registers (A, B, C in; R out),
//   each with one typed-array view per lane shape. Copying operands in costs 16 bytes but
//   buys aligned views (the caller's bytes may sit at any offset), makes `out` aliasing an
//   input harmless, and means nothing is allocated per instruction.
// - Which view a loop is handed decides signedness: the same `min` loop is min_s on an
//   Int16Array and min_u on a Uint16Array. Stores into a typed array wrap modulo 2^N,
//   which is exactly the spec's wrapping integer arithmetic (iadd, ineg, iabs on INT_MIN…).
// - i64 lanes are computed as (lo, hi) u32 pairs instead of BigInt, which would allocate
//   for every lane.
// - Typed arrays use the host's byte order; WebAssembly's v128 is little-endian, as are all
//   hosts Node runs on in practice. The check below makes a big-endian host fail loudly.
// - Floats: every arithmetic NaN result is rewritten to the canonical NaN (positive, quiet,
//   zero payload) so runs are deterministic; abs/neg and pmin/pmax move bits and keep
//   payloads, as the spec's definitions are bit operations / selections.

export interface Vec {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
}

function vec(): Vec {
  const buffer = new ArrayBuffer(16);
  return {
    u8: new Uint8Array(buffer),
    i8: new Int8Array(buffer),
    u16: new Uint16Array(buffer),
    i16: new Int16Array(buffer),
    u32: new Uint32Array(buffer),
    i32: new Int32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i64: new BigInt64Array(buffer),
    u64: new BigUint64Array(buffer),
  };
}

/** Operand registers (first, second, third v128 operand) and the result register. */
export const A = vec();
export const B = vec();
export const C = vec();
export const R = vec();

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('wasmstep SIMD needs a little-endian host');
}

export type Ints = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
export type Floats = Float32Array | Float64Array;

// Comparison kinds, shared by integer and float comparisons.
export const EQ = 0;
export const NE = 1;
export const LT = 2;
export const GT = 3;
export const LE = 4;
export const GE = 5;

function compare(p: number, q: number, op: number): boolean {
  switch (op) {
    case EQ:
      return p === q;
    case NE:
      return p !== q; // true when either is NaN, as the spec's fne
    case LT:
      return p < q;
    case GT:
      return p > q;
    case LE:
      return p <= q;
    default:
      return p >= q;
  }
}

// --- Integer lanes (signedness comes from the views passed in) ---

/** r[i] = all ones if x[i] op y[i], else 0; r must have the lanes' width. */
export function icmp(x: Ints, y: Ints, r: Ints, op: number): void {
  for (let i = 0; i < x.length; i++) r[i] = compare(x[i]!, y[i]!, op) ? -1 : 0;
}

export function iadd(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) r[i] = x[i]! + y[i]!;
}

export function isub(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) r[i] = x[i]! - y[i]!;
}

export function imul(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) r[i] = Math.imul(x[i]!, y[i]!);
}

export function imin(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    r[i] = p < q ? p : q;
  }
}

export function imax(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    r[i] = p > q ? p : q;
  }
}

/** Saturating add/sub: the exact result clamped to [lo, hi] (the view's range). */
export function iaddSat(x: Ints, y: Ints, r: Ints, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! + y[i]!;
    r[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

export function isubSat(x: Ints, y: Ints, r: Ints, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! - y[i]!;
    r[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** avgr_u: (x + y + 1) / 2 rounded down, computed without overflow in a double. */
export function iavgr(x: Ints, y: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) r[i] = (x[i]! + y[i]! + 1) >>> 1;
}

export function iabs(x: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    r[i] = p < 0 ? -p : p; // -INT_MIN wraps back to INT_MIN on store, as iabs requires
  }
}

export function ineg(x: Ints, r: Ints): void {
  for (let i = 0; i < x.length; i++) r[i] = -x[i]!;
}

export function ishl(x: Ints, r: Ints, s: number): void {
  for (let i = 0; i < x.length; i++) r[i] = x[i]! << s;
}

/** Right shift: arithmetic on a signed view, logical on an unsigned one (values ≥ 0 there). */
export function ishr(x: Ints, r: Ints, s: number): void {
  for (let i = 0; i < x.length; i++) r[i] = x[i]! >> s;
}

export function ishrU(x: Ints, r: Ints, s: number): void {
  for (let i = 0; i < x.length; i++) r[i] = x[i]! >>> s;
}

/** 1 if every lane is non-zero. */
export function allTrue(x: Ints): number {
  for (let i = 0; i < x.length; i++) if (x[i] === 0) return 0;
  return 1;
}

/** Bit i = sign bit of lane i (x must be a signed view). */
export function bitmask(x: Ints): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! < 0) m |= 1 << i;
  return m;
}

/**
 * narrow: the lanes of x then y (a wider signed view), each saturated to [lo, hi], into r
 * (a view with twice the lanes). The spec narrows signed inputs for both _s and _u.
 */
export function narrow(x: Ints, y: Ints, r: Ints, lo: number, hi: number): void {
  const n = x.length;
  for (let i = 0; i < 2 * n; i++) {
    const v = i < n ? x[i]! : y[i - n]!;
    r[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** extend: r[i] = x[i + from] widened; the view of x decides sign or zero extension. */
export function extend(x: Ints, r: Ints, from: number): void {
  for (let i = 0; i < r.length; i++) r[i] = x[i + from]!;
}

/** extmul: the full product of lanes from..from+n-1; it always fits the doubled width. */
export function extmul(x: Ints, y: Ints, r: Ints, from: number): void {
  for (let i = 0; i < r.length; i++) r[i] = x[i + from]! * y[i + from]!;
}

export function extaddPairwise(x: Ints, r: Ints): void {
  for (let i = 0; i < r.length; i++) r[i] = x[2 * i]! + x[2 * i + 1]!;
}

// --- i64 lanes as (lo, hi) u32 pairs: index 2i is the low half, 2i+1 the high half ---

// The full 64-bit product of two u32, returned through these two "registers" so that
// nothing is allocated.
let prodLo = 0;
let prodHi = 0;

function mulU32(a: number, b: number): void {
  // 16-bit limbs keep every partial product below 2^32, exact in a double.
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  prodLo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  prodHi = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

export function add64(x: Vec, y: Vec, r: Vec): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]! + y.u32[i]!;
    r.u32[i] = lo;
    r.u32[i + 1] = x.u32[i + 1]! + y.u32[i + 1]! + (lo > 0xffffffff ? 1 : 0);
  }
}

export function sub64(x: Vec, y: Vec, r: Vec): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]! - y.u32[i]!;
    r.u32[i] = lo;
    r.u32[i + 1] = x.u32[i + 1]! - y.u32[i + 1]! - (lo < 0 ? 1 : 0);
  }
}

export function mul64(x: Vec, y: Vec, r: Vec): void {
  for (let i = 0; i < 4; i += 2) {
    const al = x.u32[i]!;
    const ah = x.u32[i + 1]!;
    const bl = y.u32[i]!;
    const bh = y.u32[i + 1]!;
    mulU32(al, bl);
    r.u32[i] = prodLo;
    // The cross terms only reach the high word; their own high halves fall off mod 2^64.
    r.u32[i + 1] = prodHi + Math.imul(al, bh) + Math.imul(ah, bl);
  }
}

export function neg64(x: Vec, r: Vec): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]!;
    r.u32[i] = -lo;
    r.u32[i + 1] = -x.u32[i + 1]! - (lo !== 0 ? 1 : 0);
  }
}

export function abs64(x: Vec, r: Vec): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]!;
    const hi = x.u32[i + 1]!;
    if (x.i32[i + 1]! < 0) {
      r.u32[i] = -lo;
      r.u32[i + 1] = -hi - (lo !== 0 ? 1 : 0);
    } else {
      r.u32[i] = lo;
      r.u32[i + 1] = hi;
    }
  }
}

export function shl64(x: Vec, r: Vec, s: number): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]!;
    const hi = x.u32[i + 1]!;
    // JS shifts count mod 32, so 0 and ≥ 32 need their own branches.
    if (s === 0) {
      r.u32[i] = lo;
      r.u32[i + 1] = hi;
    } else if (s < 32) {
      r.u32[i] = lo << s;
      r.u32[i + 1] = (hi << s) | (lo >>> (32 - s));
    } else {
      r.u32[i] = 0;
      r.u32[i + 1] = lo << (s - 32);
    }
  }
}

export function shr64(x: Vec, r: Vec, s: number, signed: boolean): void {
  for (let i = 0; i < 4; i += 2) {
    const lo = x.u32[i]!;
    const hi = x.u32[i + 1]!;
    if (s === 0) {
      r.u32[i] = lo;
      r.u32[i + 1] = hi;
    } else if (s < 32) {
      r.u32[i] = (lo >>> s) | (hi << (32 - s));
      r.u32[i + 1] = signed ? hi >> s : hi >>> s;
    } else {
      r.u32[i] = signed ? hi >> (s - 32) : hi >>> (s - 32);
      r.u32[i + 1] = signed ? hi >> 31 : 0;
    }
  }
}

/** i64x2 comparisons; eq/ne ignore signedness, the others are signed (the only kind in 2.0). */
export function cmp64(x: Vec, y: Vec, r: Vec, op: number): void {
  for (let i = 0; i < 4; i += 2) {
    const xh = x.i32[i + 1]!;
    const yh = y.i32[i + 1]!;
    const xl = x.u32[i]!;
    const yl = y.u32[i]!;
    // Order by the signed high words, then by the unsigned low words.
    const ord = xh < yh ? -1 : xh > yh ? 1 : xl < yl ? -1 : xl > yl ? 1 : 0;
    const m = compare(ord, 0, op) ? -1 : 0;
    r.i32[i] = m;
    r.i32[i + 1] = m;
  }
}

/** i64x2.extend_{low,high}_i32x4_{s,u}: from = 0 or 2. */
export function extend64(x: Vec, r: Vec, from: number, signed: boolean): void {
  for (let i = 0; i < 2; i++) {
    const v = x.i32[from + i]!;
    r.i32[2 * i] = v;
    r.i32[2 * i + 1] = signed && v < 0 ? -1 : 0;
  }
}

/** i64x2.extmul_{low,high}_i32x4_{s,u}: from = 0 or 2. */
export function extmul64(x: Vec, y: Vec, r: Vec, from: number, signed: boolean): void {
  for (let i = 0; i < 2; i++) {
    const a = x.u32[from + i]!;
    const b = y.u32[from + i]!;
    mulU32(a, b);
    let hi = prodHi;
    if (signed) {
      // a_s = a - 2^32·[a < 0]: the correction terms only touch the high word mod 2^64.
      if (x.i32[from + i]! < 0) hi -= b;
      if (y.i32[from + i]! < 0) hi -= a;
    }
    r.u32[2 * i] = prodLo;
    r.u32[2 * i + 1] = hi;
  }
}

export function allTrue64(x: Vec): number {
  return (x.u32[0]! | x.u32[1]!) !== 0 && (x.u32[2]! | x.u32[3]!) !== 0 ? 1 : 0;
}

export function bitmask64(x: Vec): number {
  return (x.i32[1]! < 0 ? 1 : 0) | (x.i32[3]! < 0 ? 2 : 0);
}

// --- Float lanes ---

const CANON32 = 0x7fc00000;
const CANON64_HI = 0x7ff80000;

/** Rewrites every NaN lane of r's f32x4 view to the canonical NaN. */
export function canon32(r: Vec): void {
  for (let i = 0; i < 4; i++) {
    const v = r.f32[i]!;
    if (v !== v) r.u32[i] = CANON32;
  }
}

export function canon64(r: Vec): void {
  for (let i = 0; i < 2; i++) {
    const v = r.f64[i]!;
    if (v !== v) {
      r.u32[2 * i] = 0;
      r.u32[2 * i + 1] = CANON64_HI;
    }
  }
}

/** Float comparisons into all-ones/zero masks; f64 lanes span two i32 slots of r. */
export function fcmp(x: Floats, y: Floats, r: Vec, op: number): void {
  const n = x.length;
  const k = 4 / n;
  for (let i = 0; i < n; i++) {
    const m = compare(x[i]!, y[i]!, op) ? -1 : 0;
    for (let j = 0; j < k; j++) r.i32[i * k + j] = m;
  }
}

// Arithmetic in doubles and one rounding on the store into a Float32Array gives the
// correctly rounded f32 result for + - * / and sqrt (53 ≥ 2·24 + 2 bits, so the double
// rounding is innocuous); callers canonicalize NaNs afterwards.

export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;
export const MIN = 4;
export const MAX = 5;

export function farith(x: Floats, y: Floats, r: Floats, op: number): void {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    switch (op) {
      case ADD:
        r[i] = p + q;
        break;
      case SUB:
        r[i] = p - q;
        break;
      case MUL:
        r[i] = p * q;
        break;
      case DIV:
        r[i] = p / q;
        break;
      case MIN:
        // Math.min is the spec's fmin: NaN if either is NaN, and -0 below +0.
        r[i] = Math.min(p, q);
        break;
      default:
        r[i] = Math.max(p, q);
    }
  }
}

export const SQRT = 0;
export const CEIL = 1;
export const FLOOR = 2;
export const TRUNC = 3;
export const NEAREST = 4;

/** fnearest: round half to even, keeping the sign of a zero result (-0.5 → -0). */
export function nearest(x: number): number {
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  const f = Math.floor(x);
  const d = x - f; // exact: the fraction of a double is a double
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (x < 0 ? -0 : 0) : r;
}

export function funary(x: Floats, r: Floats, op: number): void {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    switch (op) {
      case SQRT:
        r[i] = Math.sqrt(p);
        break;
      case CEIL:
        r[i] = Math.ceil(p);
        break;
      case FLOOR:
        r[i] = Math.floor(p);
        break;
      case TRUNC:
        r[i] = Math.trunc(p);
        break;
      default:
        r[i] = nearest(p);
    }
  }
}

/**
 * pmin/pmax are selections (`b < a ? b : a`, `a < b ? b : a`), not fmin/fmax: NaN operands
 * and zero signs pass through as they are, so the chosen lane's bits are copied.
 */
export function pminmax32(x: Vec, y: Vec, r: Vec, max: boolean): void {
  for (let i = 0; i < 4; i++) {
    const p = x.f32[i]!;
    const q = y.f32[i]!;
    r.u32[i] = (max ? p < q : q < p) ? y.u32[i]! : x.u32[i]!;
  }
}

export function pminmax64(x: Vec, y: Vec, r: Vec, max: boolean): void {
  for (let i = 0; i < 2; i++) {
    const p = x.f64[i]!;
    const q = y.f64[i]!;
    const from = (max ? p < q : q < p) ? y : x;
    r.u32[2 * i] = from.u32[2 * i]!;
    r.u32[2 * i + 1] = from.u32[2 * i + 1]!;
  }
}

/** trunc_sat: NaN → 0, out of range → the nearest bound, else truncated toward zero. */
export function truncSat(p: number, lo: number, hi: number): number {
  if (p !== p) return 0;
  return p <= lo ? lo : p >= hi ? hi : Math.trunc(p);
}

const POPCNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCNT[i] = (i & 1) + POPCNT[i >> 1]!;

export function popcnt8(x: Vec, r: Vec): void {
  for (let i = 0; i < 16; i++) r.u8[i] = POPCNT[x.u8[i]!]!;
}
