import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { OPS, laterProposal, opByCode, opByName, type OpInfo } from './opcodes.ts';

const FC = 0xfc << 16;
const FD = 0xfd << 16;

describe('opcode table', () => {
  it('has the WebAssembly 2.0 instruction counts per opcode space', () => {
    const count = (prefix: number) => OPS.filter((o) => o.code >>> 16 === prefix).length;
    // Spec 5.4: 183 single-byte instructions (incl. 5 sign-extension ops and typed select),
    // 18 under 0xFC (8 trunc_sat + 10 bulk memory/table), 236 SIMD under 0xFD.
    expect(count(0)).toBe(183);
    expect(count(0xfc)).toBe(18);
    expect(count(0xfd)).toBe(236);
    expect(new Set(OPS.map((o) => o.code)).size).toBe(OPS.length);
    // Only `select` has two encodings.
    expect(new Set(OPS.map((o) => o.op)).size).toBe(OPS.length - 1);
  });

  it('matches a sample of codes and names from the spec', () => {
    const sample: [string, number][] = [
      ['unreachable', 0x00], ['br_table', 0x0e], ['call_indirect', 0x11], ['select', 0x1b],
      ['table.set', 0x26], ['i64.load32_u', 0x35], ['memory.grow', 0x40], ['f64.const', 0x44],
      ['i32.ge_u', 0x4f], ['i64.ge_u', 0x5a], ['f64.ge', 0x66], ['i32.rotr', 0x78],
      ['i64.rotr', 0x8a], ['f32.copysign', 0x98], ['f64.copysign', 0xa6],
      ['f64.reinterpret_i64', 0xbf], ['i64.extend32_s', 0xc4], ['ref.func', 0xd2],
      ['i64.trunc_sat_f64_u', FC | 7], ['memory.init', FC | 8], ['table.fill', FC | 17],
      ['v128.const', FD | 12], ['i8x16.shuffle', FD | 13], ['v128.any_true', FD | 0x53],
      ['v128.store64_lane', FD | 0x5b], ['i16x8.q15mulr_sat_s', FD | 0x82], ['i16x8.avgr_u', FD | 0x9b],
      ['i32x4.dot_i16x8_s', FD | 0xba], ['i64x2.eq', FD | 0xd6], ['f64x2.convert_low_i32x4_u', FD | 0xff],
    ];
    for (const [name, code] of sample) {
      expect(opByName(name)?.code, name).toBe(code);
      expect(opByCode(code)?.op, name).toBe(name);
    }
    expect(opByCode(0x1c)).toMatchObject({ op: 'select', imm: 'select_t' });
    expect(opByName('i64.load')).toMatchObject({ imm: 'memarg', align: 3 });
    expect(opByName('v128.load')).toMatchObject({ imm: 'memarg', align: 4 });
    expect(opByName('v128.load16_lane')).toMatchObject({ imm: 'memarg_lane', align: 1 });
    expect(opByCode(FD | 0x9a)).toBeUndefined(); // a gap in the SIMD numbering
    expect(opByCode(0x06)).toBeUndefined();
    expect(opByCode(FC | 18)).toBeUndefined();
    expect(opByName('nope')).toBeUndefined();
  });

  it('names later proposals for their opcodes only', () => {
    expect(laterProposal(0x12)).toBe('tail calls');
    expect(laterProposal(0x06)).toBe('exception handling');
    expect(laterProposal(0x18)).toBe('exception handling');
    expect(laterProposal(0xfb)).toBe('garbage collection');
    expect(laterProposal((0xfb << 16) | 1)).toBe('garbage collection');
    expect(laterProposal(0xfe)).toBe('threads');
    expect(laterProposal(FD | 0x100)).toBe('relaxed SIMD');
    expect(laterProposal(0x14)).toBe('typed function references');
    for (const info of OPS) expect(laterProposal(info.code)).toBeUndefined();
    expect(laterProposal(0xff)).toBeUndefined();
  });

  // Independent check against wabt: assemble each instruction and look for its opcode bytes.
  it('agrees with wabt on the binary encoding of every instruction', async () => {
    const wabt = await wabtInit();
    const immediates = (info: OpInfo): string => {
      switch (info.imm) {
        case 'none': case 'block': return '';
        case 'label': return ' 0';
        case 'br_table': return ' 0 0';
        case 'local': return ' 0';
        case 'global': return ' 0';
        case 'func': return ' 0';
        case 'call_indirect': return ' (type 0)';
        case 'memarg': case 'memory': case 'memory_copy': case 'memory_fill': return '';
        case 'i32': case 'i64': case 'f32': case 'f64': return ' 0';
        case 'v128': return ' i64x2 0 0';
        case 'shuffle': return ' 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15';
        case 'lane': return ' 1';
        case 'memarg_lane': return ' 1';
        case 'select_t': return ' (result i32)';
        case 'ref_null': return ' func';
        case 'table': return ' 0';
        case 'table_copy': return ' 0 0';
        case 'table_init': return ' 0 0';
        case 'elem': case 'data': case 'memory_init': return ' 0';
      }
    };
    const leb = (n: number) => {
      const out: number[] = [];
      do {
        let b = n & 0x7f;
        n >>>= 7;
        if (n) b |= 0x80;
        out.push(b);
      } while (n);
      return out;
    };
    let checked = 0;
    for (const info of OPS) {
      if (info.op === 'else' || info.op === 'end') continue;
      const body = ['block', 'loop', 'if'].includes(info.op) ? `${info.op} end` : `${info.op}${immediates(info)}`;
      const wat = `(module (type (func)) (func (local i32)) (memory 1) (table 1 funcref) (global (mut i32) (i32.const 0))
        (elem func 0) (data "") (func ${body}))`;
      const mod = wabt.parseWat('op.wat', wat, { simd: true, bulk_memory: true, reference_types: true, sat_float_to_int: true, sign_extension: true });
      const bin = mod.toBinary({}).buffer;
      mod.destroy();
      const prefix = info.code >>> 16;
      const expected = prefix === 0 ? [info.code] : [prefix, ...leb(info.code & 0xffff)];
      // The body starts with its local-declaration count 0, then the instruction.
      const hay = Array.from(bin.slice(-40)).join(',');
      expect(hay.includes([0, ...expected].join(',')), `${info.op} -> ${expected.map((b) => b.toString(16))}`).toBe(true);
      checked++;
    }
    expect(checked).toBe(OPS.length - 2);
  });
});
