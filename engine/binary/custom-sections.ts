// Two custom sections of the tool conventions that say how a module was made
// (https://github.com/WebAssembly/tool-conventions): `producers` (language, processed-by
// and sdk, each with names and versions: ProducersSection.md) and `target_features` (the
// features the module was compiled for, each prefixed '+' used, '-' disallowed or '='
// required: Linking.md#target-features-section). Custom sections never make a module
// malformed, so both parsers return undefined for content they cannot read.

import { DecodeError } from './error.ts';
import { Reader } from './reader.ts';

export interface ProducerField {
  /** 'language', 'processed-by' or 'sdk'. */
  readonly name: string;
  readonly values: readonly { readonly name: string; readonly version: string }[];
}

export interface TargetFeature {
  /** '+' used, '-' disallowed, '=' required. */
  readonly prefix: string;
  readonly name: string;
}

function readAll<T>(content: Uint8Array, read: (r: Reader) => T): T | undefined {
  const r = new Reader(content);
  try {
    const value = read(r);
    return r.pos === content.length ? value : undefined;
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}

/** The content of a `producers` section (after the section name). */
export function readProducers(content: Uint8Array): ProducerField[] | undefined {
  return readAll(content, (r) => {
    const fields: ProducerField[] = [];
    for (let n = r.len32(); n > 0; n--) {
      const name = r.name();
      const values: { name: string; version: string }[] = [];
      for (let k = r.len32(); k > 0; k--) values.push({ name: r.name(), version: r.name() });
      fields.push({ name, values });
    }
    return fields;
  });
}

/** The content of a `target_features` section (after the section name). */
export function readTargetFeatures(content: Uint8Array): TargetFeature[] | undefined {
  return readAll(content, (r) => {
    const features: TargetFeature[] = [];
    for (let n = r.len32(); n > 0; n--) {
      const prefix = String.fromCharCode(r.u8());
      features.push({ prefix, name: r.name() });
    }
    return features;
  });
}
