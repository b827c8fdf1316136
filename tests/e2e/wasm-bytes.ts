// Hand-assembled .wasm pieces the text format cannot express: name-section entries and
// custom sections carrying arbitrary strings. The hostile-name tests (hostile-names,
// explorer) append them to a module encoded by the engine.

export const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];

/** Unsigned LEB128. */
export const u32 = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
};

/** A length-prefixed UTF-8 name. */
export const str = (s: string): number[] => [...u32(utf8(s).length), ...utf8(s)];

/** A custom section (id 0) with this name and content. */
export const custom = (name: string, content: number[]): number[] => {
  const body = [...str(name), ...content];
  return [0, ...u32(body.length), ...body];
};

/** A subsection of the name section: 0 module, 1 functions, 2 locals. */
export const nameSubsection = (id: number, content: number[]): number[] => [id, ...u32(content.length), ...content];
