// Test support: builds small binary modules by hand, so tests can place a bad byte at a
// known offset (https://webassembly.github.io/spec/core/binary/modules.html).

import { encodeU32 } from '../leb128.ts';

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A section: id, u32 size, content. */
export function section(id: number, content: readonly number[]): number[] {
  return [id, ...encodeU32(content.length), ...content];
}

/** A vector: u32 count, then the items' bytes. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...encodeU32(items.length), ...items.flat()];
}

export function str(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...encodeU32(bytes.length), ...bytes];
}

export function moduleBytes(...sections: (readonly number[])[]): Uint8Array {
  return Uint8Array.from([...HEADER, ...sections.flat()]);
}

/** Type section with one `[] -> []` function type. */
export const TYPE_VOID = section(1, vec([[0x60, 0x00, 0x00]]));
/** Function section declaring one function of type 0. */
export const ONE_FUNC = section(3, vec([[0x00]]));

/**
 * A module with one function whose body (without locals and final `end`) is `code`,
 * plus optional sections placed before the code section (`before`) and after it.
 * Returns the bytes and the offset of the body's first instruction.
 */
export function funcModule(
  code: readonly number[],
  options: { locals?: readonly number[]; before?: readonly number[]; after?: readonly number[] } = {},
): { bytes: Uint8Array; codeAt: number } {
  const locals = options.locals ?? [0x00];
  const body = [...locals, ...code, 0x0b];
  const codeSection = section(10, vec([[...encodeU32(body.length), ...body]]));
  const head = [...HEADER, ...TYPE_VOID, ...ONE_FUNC, ...(options.before ?? [])];
  // Where the instructions start: after id, section size, count, body size and locals.
  const sizeLength = codeSection.length - 1 - (body.length + encodeU32(body.length).length + 1);
  const codeAt = head.length + 1 + sizeLength + 1 + encodeU32(body.length).length + locals.length;
  return { bytes: Uint8Array.from([...head, ...codeSection, ...(options.after ?? [])]), codeAt };
}
