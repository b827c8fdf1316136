// The exception tags of a module whose bodies engine/valid/code-bytes.ts checks in place
// (exception handling, https://webassembly.github.io/spec/core/valid/modules.html#tags and
// https://webassembly.github.io/spec/core/valid/types.html#tag-types): the module-level
// rules for tags — a tag's type exists and has no results, an exported tag exists — and
// C.tags, each tag's parameter types, for throw and catch.
//
// The module-level validator (engine/valid/validate.ts) refuses tags until the interpreter
// runs exceptions, so the in-place path hands it the module without them (tags are their
// own index space: no other index moves) and checks them here. Like the in-place checker
// this only decides "valid": anything else is UNDECIDED, and the reference answers.

import type { Module } from '../syntax/index.ts';
import type { CodeContext } from './code.ts';
import { UNDECIDED } from './code-bytes.ts';

/** A list of value types, as the context holds them. */
type Types = CodeContext['typeParams'][number];

export interface ModuleTags {
  /** The module without its tags, tag imports and tag exports. */
  readonly module: Module;
  /** Per tag (imports first): its type index. */
  readonly types: readonly number[];
}

/** Splits the tags off `m`; throws UNDECIDED where a tag rule may be broken. */
export function splitTags(m: Module): ModuleTags {
  const defined = m.tags ?? [];
  const imported = m.imports.filter((imp) => imp.desc.kind === 'tag');
  const exported = m.exports.filter((e) => e.kind === 'tag');
  if (defined.length === 0 && imported.length === 0 && exported.length === 0) return { module: m, types: [] };
  const types: number[] = [];
  for (const imp of imported) if (imp.desc.kind === 'tag') types.push(imp.desc.type);
  for (const t of defined) types.push(t.type);
  for (const e of exported) if (e.index >= types.length) throw UNDECIDED;
  // Export names are unique over every kind, tags included.
  if (new Set(m.exports.map((e) => e.name)).size !== m.exports.length) throw UNDECIDED;
  return {
    module: {
      ...m,
      imports: m.imports.filter((imp) => imp.desc.kind !== 'tag'),
      exports: m.exports.filter((e) => e.kind !== 'tag'),
      tags: undefined,
    },
    types,
  };
}

/**
 * C.tags from the context's type lists: the parameters of each tag's function type, which
 * must exist and have no results.
 */
export function tagParams(types: readonly number[], typeParams: readonly Types[], typeResults: readonly Types[]): Types[] {
  return types.map((x) => {
    if (x >= typeParams.length || typeResults[x]!.length !== 0) throw UNDECIDED;
    return typeParams[x]!;
  });
}
