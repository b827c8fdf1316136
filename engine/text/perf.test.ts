// Speed of the text layer: a synthetic ~10 MB module (folded and flat code, names,
// comments, hex and decimal floats, memargs, data strings) must parse in a few seconds.
import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.ts';
import { parseWat } from './parser.ts';

function synthesize(targetChars: number): string {
  const parts = ['(module\n  (memory 1)\n  (table 10 funcref)\n  (global $g (mut i32) (i32.const 0))\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < targetChars; i++) {
    const f = `  (func $f${i} (export "f${i}") (param $a i32) (param $b i64) (result i32) (local $x f64) (local $y f32)
    (local.set $x (f64.const ${i}.5e-3))
    (local.set $y (f32.const 0x1.8p${i % 100}))
    (block $out (result i32)
      (loop $top
        (br_if $out (i32.const ${i}) (i32.eqz (local.get $a)))
        (local.set $a (i32.sub (local.get $a) (i32.const 1)))
        (i64.store offset=8 align=8 (i32.const 16) (i64.add (local.get $b) (i64.const -${i}000)))
        br $top)
      i32.const ${i * 7}
    )
    global.get $g
    i32.add
    (if (result i32) (i32.lt_s (local.get $a) (i32.const 0)) (then (i32.const 1)) (else (i32.const 2)))
    i32.mul ;; a comment
  )
  (data (i32.const ${i % 1000}) "data\\00\\ff\\u{1F600} ${i}")
`;
    parts.push(f);
    size += f.length;
  }
  parts.push(')\n');
  return parts.join('');
}

describe('large input', () => {
  it('parses a 10 MB module completely', { timeout: 60_000 }, () => {
    const source = synthesize(10 * 1024 * 1024);
    expect(source.length).toBeGreaterThan(10 * 1024 * 1024);
    let t0 = performance.now();
    const tokens = tokenize(source);
    const lexMs = performance.now() - t0;
    t0 = performance.now();
    const module = parseWat(source);
    const totalMs = performance.now() - t0;
    const instrs = module.funcs.reduce((n, f) => n + f.body.length, 0);
    console.log(
      `10 MB: ${tokens.count} tokens, ${module.funcs.length} functions, ${instrs} instructions; ` +
        `tokenize ${lexMs.toFixed(0)} ms, tokenize + parse ${totalMs.toFixed(0)} ms`,
    );
    expect(module.funcs.length).toBe(module.datas.length);
    expect(module.funcs[1]!.body[0]!.op).toBe('f64.const');
    // Speed is measured by `npm run bench`, not asserted here: shared machines are noisy.
  });
});
