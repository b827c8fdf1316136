// The `name` custom section: module, function and local names for display
// (https://webassembly.github.io/spec/core/appendix/custom.html#name-section).
// It is only a custom section, so a malformed one must never make the module fail to
// decode: decodeNames returns undefined instead of throwing.

import { DecodeError } from './error.ts';
import type { Names } from '../syntax/index.ts';
import { Reader } from './reader.ts';

const MODULE_NAME = 0;
const FUNCTION_NAMES = 1;
const LOCAL_NAMES = 2;

/** Decodes the content of a `name` custom section (the bytes after the section's own name). */
export function decodeNames(content: Uint8Array): Names | undefined {
  try {
    return readNames(new Reader(content));
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}

function readNames(r: Reader): Names | undefined {
  const names: Names = { functions: new Map(), locals: new Map() };
  let lastId = -1;
  while (!r.atEnd()) {
    const at = r.pos;
    const id = r.u8();
    // Subsections come at most once each, in increasing order of id.
    if (id <= lastId) throw new DecodeError('malformed name section', at);
    lastId = id;
    const size = r.len32();
    const end = r.pos + size;
    if (end > r.length) throw new DecodeError('unexpected end', r.length);
    if (id === MODULE_NAME) {
      names.module = r.name();
    } else if (id === FUNCTION_NAMES) {
      readNameMap(r, names.functions);
    } else if (id === LOCAL_NAMES) {
      const count = r.len32();
      for (let i = 0; i < count; i++) {
        const func = r.u32();
        const map = new Map<number, string>();
        readNameMap(r, map);
        names.locals.set(func, map);
      }
    } else {
      // Extended-name subsections (labels, types, …) are not used: skip them.
      r.pos = end;
    }
    if (r.pos !== end) throw new DecodeError('section size mismatch', r.pos);
  }
  return names;
}

/**
 * A name map. The spec wants indices in increasing order; producers that get this wrong
 * still mean well, so the order is not enforced (names are for display only).
 */
function readNameMap(r: Reader, into: Map<number, string>): void {
  const count = r.len32();
  for (let i = 0; i < count; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}
