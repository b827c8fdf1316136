// Random but valid and terminating WebAssembly programs for the trace layer's property
// tests, from a seeded generator so every run tests the same programs. They mix what
// time travel must get right: nested blocks, bounded loops, br/br_if/br_table, calls
// (direct, indirect, recursive), host imports that return values and write to memory,
// loads and stores of every width, bulk memory, memory.grow, globals, i64 and f64
// arithmetic, and the occasional trap (division by zero).

/** A small, fast, seeded PRNG (mulberry32): floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A short fingerprint of bytes (FNV-1a), to compare memories cheaply. */
export function fingerprint(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  return (h >>> 0).toString(16);
}

export interface HostCounts {
  tick: number;
  poke: number;
}

/** The host imports the generated programs use; `memory` is set once instantiated. */
export function hostImports(counts: HostCounts, holder: { memory?: { bytes: Uint8Array } }): Record<string, Record<string, unknown>> {
  return {
    env: {
      tick: (x: unknown) => {
        counts.tick++;
        return (Math.imul(x as number, 31) + counts.tick) | 0;
      },
      poke: (addr: unknown, v: unknown) => {
        counts.poke++;
        const m = holder.memory;
        if (m !== undefined) m.bytes[((addr as number) >>> 0) % 4096] = (v as number) + counts.poke;
      },
    },
  };
}

class Gen {
  readonly rand: () => number;
  readonly funcs: number;
  /** The function being generated (-1 for main). */
  current = -1;
  labels = 0;
  depth = 0;

  constructor(rand: () => number, funcs: number) {
    this.rand = rand;
    this.funcs = funcs;
  }

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  chance(p: number): boolean {
    return this.rand() < p;
  }

  addr(mask: number): string {
    return `(i32.and ${this.i32()} (i32.const ${mask}))`;
  }

  /** Functions this one may call: higher-numbered ones only, so calls cannot cycle. */
  callees(): number[] {
    const out: number[] = [];
    for (let k = this.current + 1; k < this.funcs; k++) out.push(k);
    if (this.current < 0) for (let k = 0; k < this.funcs; k++) out.push(k);
    return out;
  }

  i32(): string {
    this.depth++;
    try {
      if (this.depth > 4 || this.chance(0.3)) {
        return this.pick([
          `(i32.const ${this.pick([0, 1, 2, 3, 7, -1, 255, 4096, 0x7fffffff, this.int(1000) - 500])})`,
          '(local.get $p)', '(local.get $a)', '(local.get $b)', '(global.get $g)',
        ]);
      }
      const r = this.int(20);
      if (r < 6) {
        const op = this.pick(['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_u', 'shr_s', 'rotl', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_u', 'ge_s']);
        return `(i32.${op} ${this.i32()} ${this.i32()})`;
      }
      if (r < 8) return `(i32.${this.pick(['eqz', 'clz', 'popcnt', 'extend8_s'])} ${this.i32()})`;
      if (r < 10) return `(i32.${this.pick(['load', 'load8_u', 'load16_s'])} offset=${this.pick([0, 1, 4])} ${this.addr(0xfff8)})`;
      if (r === 10) {
        const c = this.callees();
        if (c.length > 0) return `(call $f${this.pick(c)} ${this.i32()})`;
        return `(call $rec (i32.and ${this.i32()} (i32.const 7)))`;
      }
      if (r === 11) return `(call $tick ${this.i32()})`;
      if (r === 12) return `(call $rec (i32.and ${this.i32()} (i32.const 7)))`;
      if (r === 13) return `(i32.wrap_i64 ${this.i64()})`;
      if (r === 14) return `(i32.trunc_sat_f64_s ${this.f64()})`;
      if (r === 15) return `(select ${this.i32()} ${this.i32()} ${this.i32()})`;
      if (r === 16) return this.chance(0.5) ? '(memory.size)' : `(local.tee $a ${this.i32()})`;
      if (r === 17) return `(if (result i32) ${this.i32()} (then ${this.i32()}) (else ${this.i32()}))`;
      if (r === 18 && this.current < 0) return `(call_indirect (type $sig) ${this.i32()} (i32.and ${this.i32()} (i32.const 3)))`;
      return `(block (result i32) ${this.i32()})`;
    } finally {
      this.depth--;
    }
  }

  i64(): string {
    this.depth++;
    try {
      if (this.depth > 4 || this.chance(0.35)) return this.pick(['(i64.const -3)', '(i64.const 0x123456789)', '(local.get $c)', '(global.get $h)']);
      const r = this.int(4);
      if (r === 0) return `(i64.${this.pick(['add', 'mul', 'xor', 'shl', 'rotr', 'sub'])} ${this.i64()} ${this.i64()})`;
      if (r === 1) return `(i64.extend_i32_${this.pick(['s', 'u'])} ${this.i32()})`;
      if (r === 2) return `(i64.load ${this.addr(0xfff0)})`;
      return `(i64.popcnt ${this.i64()})`;
    } finally {
      this.depth--;
    }
  }

  f64(): string {
    this.depth++;
    try {
      if (this.depth > 4 || this.chance(0.35)) return this.pick(['(f64.const 1.5)', '(f64.const -0)', '(local.get $d)', '(f64.const 1e300)']);
      const r = this.int(4);
      if (r === 0) return `(f64.${this.pick(['add', 'mul', 'div', 'min', 'sub'])} ${this.f64()} ${this.f64()})`;
      if (r === 1) return `(f64.convert_i32_s ${this.i32()})`;
      if (r === 2) return `(f64.load ${this.addr(0xfff0)})`;
      return `(f64.sqrt ${this.f64()})`;
    } finally {
      this.depth--;
    }
  }

  stmts(n: number, nest: number): string {
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(this.stmt(nest));
    return out.join('\n');
  }

  stmt(nest: number): string {
    const r = this.int(nest > 2 ? 12 : 17);
    switch (r) {
      case 0: return `(local.set $a ${this.i32()})`;
      case 1: return `(local.set $b ${this.i32()})`;
      case 2: return `(global.set $g ${this.i32()})`;
      // Offsets near 4 KiB make stores straddle the copy-on-write granules.
      case 3: return `(i32.store${this.pick(['', '8', '16'])} offset=${this.pick([0, 2, 8, 4094])} ${this.addr(0xbff0)} ${this.i32()})`;
      case 4: return `(i64.store offset=${this.pick([0, 4093])} ${this.addr(0xbff0)} ${this.i64()})`;
      case 5: return `(f64.store ${this.addr(0xfff0)} ${this.f64()})`;
      case 6: return `(drop ${this.i32()})`;
      case 7: return `(call $poke ${this.i32()} ${this.i32()})`;
      case 8: return `(local.set $c ${this.i64()})`;
      case 9: return `(local.set $d ${this.f64()})`;
      case 10: {
        const k = this.int(4);
        if (k === 0) return `(memory.fill ${this.addr(0xff00)} ${this.i32()} (i32.const ${this.int(40)}))`;
        if (k === 1) return `(memory.copy ${this.addr(0xff00)} ${this.addr(0xff00)} (i32.const ${this.int(40)}))`;
        if (k === 2) return `(global.set $h ${this.i64()})`;
        return this.chance(0.3) ? '(drop (memory.grow (i32.const 1)))' : `(drop (i32.div_u (i32.const 100) (i32.or ${this.i32()} (i32.const 1))))`;
      }
      case 11: return this.chance(0.15) ? `(drop (i32.div_s ${this.i32()} ${this.i32()}))` : `(if ${this.i32()} (then (return ${this.i32()})))`;
      case 12: case 13:
        return `(if ${this.i32()} (then ${this.stmts(1 + this.int(3), nest + 1)}) (else ${this.stmts(this.int(3), nest + 1)}))`;
      case 14: {
        const b = `$b${this.labels++}`;
        return `(block ${b} ${this.stmts(1 + this.int(2), nest + 1)} (br_if ${b} ${this.i32()}) ${this.stmts(1 + this.int(2), nest + 1)})`;
      }
      case 15: {
        const i = `$i${nest}`;
        const l = `$l${this.labels++}`;
        return `(local.set ${i} (i32.const ${1 + this.int(4)}))
          (loop ${l} ${this.stmts(1 + this.int(3), nest + 1)}
            (br_if ${l} (local.tee ${i} (i32.sub (local.get ${i}) (i32.const 1)))))`;
      }
      default: {
        const x = `$x${this.labels++}`;
        const y = `$y${this.labels++}`;
        return `(block ${x} (block ${y} (br_table ${y} ${x} ${y} (i32.and ${this.i32()} (i32.const 3))) ${this.stmts(1, nest + 1)}) ${this.stmts(1, nest + 1)})`;
      }
    }
  }

  func(k: number): string {
    this.current = k;
    const name = k < 0 ? '$main (export "main")' : `$f${k}`;
    const type = k < 0 ? '(param $p i32) (result i32)' : '(type $sig) (param $p i32) (result i32)';
    const body = this.stmts(2 + this.int(5), 0);
    return `(func ${name} ${type} (local $a i32) (local $b i32) (local $c i64) (local $d f64) (local $i0 i32) (local $i1 i32) (local $i2 i32)
      ${body}
      ${this.i32()})`;
  }
}

/** A random module with an export "main" (param i32) (result i32). */
export function generateProgram(seed: number): string {
  const rand = rng(seed);
  const funcs = 1 + Math.floor(rand() * 3);
  const g = new Gen(rand, funcs);
  const defs: string[] = [];
  for (let k = funcs - 1; k >= 0; k--) defs.push(g.func(k));
  defs.push(g.func(-1));
  const table = Array.from({ length: 4 }, (_, k) => `$f${k % funcs}`).join(' ');
  return `(module
  (type $sig (func (param i32) (result i32)))
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (import "env" "poke" (func $poke (param i32 i32)))
  (memory (export "mem") 1 3)
  (global $g (mut i32) (i32.const 5))
  (global $h (mut i64) (i64.const 9))
  (table $t 4 funcref)
  (elem (i32.const 0) ${table})
  (func $rec (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 0))
      (then (global.get $g))
      (else (i32.add (local.get $n) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
  ${defs.join('\n  ')})`;
}
