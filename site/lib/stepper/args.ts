// Typed arguments for the call the Stepper traces: the text a learner types in an argument
// box, checked against the parameter's type (i32 and i64 accept decimal or 0x hex and wrap
// like the text format's integers; f32 and f64 accept any JS number, inf and nan).

import type { HostValue, ValType } from '../../../engine/index.ts';

export type ParsedArg = { readonly ok: true; readonly value: HostValue } | { readonly ok: false; readonly error: string };

const INT = /^[+-]?(0x[0-9a-f_]+|[0-9][0-9_]*)$/i;

function bigOf(text: string): bigint {
  const t = text.replace(/_/g, '');
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const n = BigInt(body);
  return neg ? -n : n;
}

/** Reads one argument of type `t`. */
export function parseArg(text: string, t: ValType): ParsedArg {
  const s = text.trim();
  switch (t) {
    case 'i32':
    case 'i64': {
      if (!INT.test(s)) return { ok: false, error: `an ${t} is a whole number, like 42, -7 or 0xff` };
      const n = bigOf(s);
      const bits = t === 'i32' ? 32n : 64n;
      if (n < -(1n << (bits - 1n)) || n >= 1n << bits) return { ok: false, error: `too big for an ${t}` };
      return { ok: true, value: t === 'i32' ? Number(BigInt.asIntN(32, n)) : BigInt.asIntN(64, n) };
    }
    case 'f32':
    case 'f64': {
      const lower = s.toLowerCase();
      if (/^[+-]?inf(inity)?$/.test(lower)) return { ok: true, value: lower.startsWith('-') ? -Infinity : Infinity };
      if (/^[+-]?nan$/.test(lower)) return { ok: true, value: NaN };
      if (s === '' || Number.isNaN(Number(s))) return { ok: false, error: `an ${t} is a number, like 1.5, -2e10 or inf` };
      return { ok: true, value: Number(s) };
    }
    default:
      return { ok: true, value: null };
  }
}

/** The text shown for an initial argument given as a prop. */
export function argText(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return '0';
}
