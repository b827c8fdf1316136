// WebAssembly.Table (https://webassembly.github.io/spec/js-api/#tables) over the engine's
// TableInstance: `length`, `get`, `set` and `grow`, with elements converted by
// ToJSValue / ToWebAssemblyValue (engine/api/js-values.ts). A missing value argument means
// the element type's DefaultValue: null for funcref, undefined for externref.

import { hostTable, type TableInstance } from '../exec/index.ts';
import type { RefType } from '../syntax/index.ts';
import { dictionary, enforceRangeU32, webIdlInterface } from './idl.ts';
import { defaultValue, toJSValue, toWasmValue } from './js-values.ts';

/** The JS API's implementation limit on table sizes (https://webassembly.github.io/spec/js-api/#limits). */
export const MAX_TABLE_LENGTH = 10_000_000;

const tables = new WeakMap<object, TableInstance>();
const objects = new WeakMap<TableInstance, Table>();

function tableOf(t: unknown): TableInstance {
  const table = typeof t === 'object' && t !== null ? tables.get(t) : undefined;
  if (table === undefined) throw new TypeError('not a WebAssembly.Table');
  return table;
}

/** The table descriptor (https://webassembly.github.io/spec/js-api/#dictdef-tabledescriptor). */
export interface TableDescriptor {
  readonly element: 'anyfunc' | 'externref';
  readonly initial: number;
  readonly maximum?: number;
}

/** ToValueType for a table's element (the TableKind enum): 'anyfunc' is funcref. */
function elementType(v: unknown): RefType {
  const s = String(v);
  if (s === 'anyfunc') return 'funcref';
  if (s === 'externref') return 'externref';
  throw new TypeError(`the table's element type must be 'anyfunc' or 'externref', got '${s}'`);
}

function checkIndex(table: TableInstance, index: unknown): number {
  const i = enforceRangeU32(index, 'index');
  if (i >= table.size) throw new RangeError(`index ${i} is out of bounds for a table of length ${table.size}`);
  return i;
}

export class Table {
  // Optional arguments are rest parameters so that `length` counts only the required ones,
  // as Web IDL does; their presence is `rest.length`, since an explicit undefined is a
  // value (ToWebAssemblyValue(undefined) is a TypeError for funcref), not a missing one.
  constructor(descriptor: TableDescriptor, ...rest: [value?: unknown]) {
    const d = dictionary(descriptor, 'the table descriptor');
    const elem = elementType(d.element);
    if (d.initial === undefined) throw new TypeError("the table descriptor needs 'initial'");
    const initial = enforceRangeU32(d.initial, "'initial'");
    const maximum = d.maximum === undefined ? undefined : enforceRangeU32(d.maximum, "'maximum'");
    if (initial > MAX_TABLE_LENGTH) throw new RangeError(`'initial' ${initial} is above the limit of ${MAX_TABLE_LENGTH}`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`'maximum' ${maximum} is below 'initial' ${initial}`);
    const init = rest.length === 0 ? defaultValue(elem) : toWasmValue(rest[0], elem);
    let table: TableInstance;
    try {
      table = hostTable(elem, initial, maximum);
    } catch (e) {
      throw new RangeError(`could not allocate the table: ${(e as Error).message}`);
    }
    table.elements.fill(init);
    register(this, table);
  }

  get length(): number {
    return tableOf(this).size;
  }

  get(index: number): unknown {
    const table = tableOf(this);
    return toJSValue(table.elements[checkIndex(table, index)], table.type.elem);
  }

  set(index: number, ...rest: [value?: unknown]): void {
    const table = tableOf(this);
    const i = checkIndex(table, index);
    const elem = table.type.elem;
    table.elements[i] = rest.length === 0 ? defaultValue(elem) : toWasmValue(rest[0], elem);
  }

  /** Grows by `delta` elements set to `value`; returns the old length, or throws RangeError. */
  grow(delta: number, ...rest: [value?: unknown]): number {
    const table = tableOf(this);
    const d = enforceRangeU32(delta, 'delta');
    const elem = table.type.elem;
    const init = rest.length === 0 ? defaultValue(elem) : toWasmValue(rest[0], elem);
    const old = table.size + d > MAX_TABLE_LENGTH ? -1 : table.grow(d, init);
    if (old === -1) throw new RangeError(`cannot grow the table by ${d} elements`);
    return old;
  }
}

webIdlInterface(Table, 'Table');

function register(t: Table, table: TableInstance): void {
  tables.set(t, table);
  objects.set(table, t);
}

/** The one Table object of an engine table (the JS API's table object cache). */
export function wrapTable(table: TableInstance): Table {
  let t = objects.get(table);
  if (t === undefined) {
    t = Object.create(Table.prototype) as Table;
    register(t, table);
  }
  return t;
}

/** The engine table behind a Table object, or undefined for any other value. */
export function tableInstanceOf(v: unknown): TableInstance | undefined {
  return typeof v === 'object' && v !== null ? tables.get(v) : undefined;
}
