// How the Stepper writes a value: the learner picks decimal, hex or float, and every view
// (operand stack, locals, globals) reads the same snapshot value that way. "float" shows
// an integer's bits read as a float of the same width (i32 → f32, i64 → f64), which is
// what `reinterpret` would give; floats always keep their exact text.

import { f32Text, f64Text, type ValueView } from '../../../engine/index.ts';

export type Radix = 'dec' | 'hex' | 'float';

export const RADIXES: readonly { readonly id: Radix; readonly label: string }[] = [
  { id: 'dec', label: 'dec' },
  { id: 'hex', label: 'hex' },
  { id: 'float', label: 'float' },
];

/** A value as text in the chosen radix. */
export function formatValue(v: ValueView, radix: Radix): string {
  switch (v.type) {
    case 'i32':
      if (radix === 'hex') return v.hex;
      if (radix === 'float') return f32Text(v.unsigned);
      return v.text;
    case 'i64':
      if (radix === 'hex') return v.hex;
      if (radix === 'float') return f64Text(BigInt(v.unsigned));
      return v.text;
    case 'f32':
    case 'f64':
      return radix === 'hex' ? v.hex : v.text;
    case 'v128':
      return radix === 'hex' ? v.hex : radix === 'float' ? `f32x4 ${v.lanes.f32x4.join(' ')}` : v.text;
    default:
      return v.text;
  }
}

/** A longer description for a tooltip or screen reader: every reading of the value. */
export function describeValue(v: ValueView): string {
  switch (v.type) {
    case 'i32':
      return `i32 ${v.signed} (unsigned ${v.unsigned}, ${v.hex})`;
    case 'i64':
      return `i64 ${v.signed} (unsigned ${v.unsigned}, ${v.hex})`;
    case 'f32':
    case 'f64':
      return `${v.type} ${v.text} (bits ${v.hex})`;
    case 'v128':
      return `v128 ${v.text} (bytes ${v.hex})`;
    default:
      return `${v.type} ${v.text}`;
  }
}

/** "0x0000_1000"-style address text (8 hex digits). */
export function hexAddress(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** A byte as two hex digits. */
export function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}
