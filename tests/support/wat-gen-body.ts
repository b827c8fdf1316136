// Function bodies for the generated text modules (tests/support/wat-gen.ts): type-directed
// generation of instructions that validate, as a tree printed flat or folded at random
// (https://webassembly.github.io/spec/core/text/instructions.html#folded-instructions).
// Labels are referenced by name or depth (by depth when an inner label shadows the name),
// locals by name or number; blocks with parameters, multi-value results and `(type x)`
// block types give implicit types to append.
import type { Rng } from '../fuzz/rng.ts';
import { LOADS, OPS, STORES } from './wat-gen-ops.ts';
import type { Entity, FuncE, Gen, Val } from './wat-gen.ts';

/** A node of a function body: printed flat or folded. */
interface Node {
  /** The instruction and its immediates, e.g. `call $f` or `i32.load offset=4`. */
  readonly op: string;
  /** Operands (folded children); empty for instructions that take theirs from the stack. */
  readonly args: readonly Node[];
  readonly block?: { readonly kind: 'block' | 'loop' | 'if'; readonly label?: string; readonly type: string; readonly body: readonly Node[]; readonly else?: readonly Node[] };
}

const node = (op: string, ...args: Node[]): Node => ({ op, args });

/** Type-directed generation of one function body. */
export class Body {
  readonly g: Gen;
  readonly r: Rng;
  readonly locals: readonly { name?: string; type: Val }[];
  readonly results: readonly Val[];
  /** Enclosing labels, innermost last: their name and the types a branch carries. */
  readonly labels: { name?: string; types: readonly Val[] }[] = [];
  budget = 40;

  constructor(g: Gen, locals: readonly { name?: string; type: Val }[], results: readonly Val[]) {
    this.g = g;
    this.r = g.r;
    this.locals = locals;
    this.results = results;
  }

  print(): string {
    const body = [...this.stmts(), ...this.results.map((t) => this.expr(t, 3))];
    return body.map((n) => ' ' + this.show(n, this.r.chance(0.5))).join('');
  }

  // --- printing ---

  show(n: Node, folded: boolean): string {
    if (n.block) return this.showBlock(n, folded);
    if (folded) return `(${n.op}${n.args.map((a) => ' ' + this.show(a, true)).join('')})`;
    return [...n.args.map((a) => this.show(a, this.r.chance(0.3))), n.op].join(' ');
  }

  seq(ns: readonly Node[]): string {
    return ns.map((x) => ' ' + this.show(x, this.r.chance(0.5))).join('');
  }

  showBlock(n: Node, folded: boolean): string {
    const b = n.block!;
    const label = b.label !== undefined ? ` ${b.label}` : '';
    if (folded) {
      if (b.kind !== 'if') return `(${b.kind}${label}${b.type}${this.seq(b.body)})`;
      const cond = n.args.map((a) => ' ' + this.show(a, true)).join('');
      const els = b.else !== undefined ? ` (else${this.seq(b.else)})` : '';
      return `(if${label}${b.type}${cond} (then${this.seq(b.body)})${els})`;
    }
    const end = b.label !== undefined && this.r.chance(0.5) ? ` end ${b.label}` : ' end';
    if (b.kind !== 'if') return `${b.kind}${label}${b.type}${this.seq(b.body)}${end}`;
    const cond = n.args.map((a) => this.show(a, this.r.chance(0.3)) + ' ').join('');
    const elseLabel = b.label !== undefined && this.r.chance(0.3) ? ` ${b.label}` : '';
    const els = b.else !== undefined ? ` else${elseLabel}${this.seq(b.else)}` : '';
    return `${cond}if${label}${b.type}${this.seq(b.body)}${els}${end}`;
  }

  // --- generation ---

  ref(e: Entity): string {
    return this.g.ref(e);
  }

  local(t: Val): string | undefined {
    const ls = this.locals.map((l, i) => ({ ...l, i })).filter((l) => l.type === t);
    if (ls.length === 0) return undefined;
    const l = this.r.pick(ls);
    return l.name !== undefined && this.r.chance(0.6) ? l.name : String(l.i);
  }

  /** A label reference by name or depth, to a label whose branch carries `types`. */
  label(types: readonly Val[]): string | undefined {
    const ok: number[] = [];
    this.labels.forEach((l, i) => {
      if (l.types.length === types.length && l.types.every((t, j) => t === types[j])) ok.push(i);
    });
    if (ok.length === 0) return undefined;
    const i = this.r.pick(ok);
    const depth = this.labels.length - 1 - i;
    const name = this.labels[i]!.name;
    // A name shadowed by an inner label of the same name can only be reached by depth.
    const shadowed = this.labels.slice(i + 1).some((l) => l.name === name);
    return name !== undefined && !shadowed && this.r.chance(0.6) ? name : String(depth);
  }

  /** A label name, or none; from a small pool, so that inner labels shadow outer ones. */
  labelName(): string | undefined {
    return this.r.chance(0.5) ? this.r.pick(['$b', '$c', `$b${this.labels.length}`]) : undefined;
  }

  blockType(results: readonly Val[]): string {
    const r = this.r;
    const g = this.g;
    // A (type x) of the same signature, or the inline form (implicit type when multi-value).
    const same = g.types.filter((t) => t.sig.params.length === 0 && t.sig.results.length === results.length && t.sig.results.every((x, i) => x === results[i]));
    if (same.length > 0 && r.chance(results.length > 1 ? 0.5 : 0.1)) return ` (type ${this.ref(r.pick(same))})`;
    return results.length > 0 ? ` (result ${results.join(' ')})` : '';
  }

  block(kind: 'block' | 'loop', results: readonly Val[], body: () => Node[], params: readonly Val[] = []): Node {
    const label = this.labelName();
    // A branch to a loop restarts it (no values); to a block, it carries the results.
    this.labels.push({ ...(label ? { name: label } : {}), types: kind === 'loop' ? params : results });
    const b = body();
    this.labels.pop();
    const type = params.length > 0 ? this.paramBlockType(params, results) : this.blockType(results);
    return { op: kind, args: [], block: { kind, ...(label ? { label } : {}), type, body: b } };
  }

  /** A block type with parameters: inline (an implicit type), `(type x)`, or both. */
  paramBlockType(params: readonly Val[], results: readonly Val[]): string {
    const inline = ` (param ${params.join(' ')})${results.length > 0 ? ` (result ${results.join(' ')})` : ''}`;
    const same = (a: readonly Val[], b: readonly Val[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
    const ts = this.g.types.filter((t) => same(t.sig.params, params) && same(t.sig.results, results));
    if (ts.length === 0 || this.r.chance(0.4)) return inline;
    const use = ` (type ${this.ref(this.r.pick(ts))})`;
    return this.r.chance(0.5) ? use : use + inline;
  }

  ifNode(results: readonly Val[], then: () => Node[], els: (() => Node[]) | undefined, params: readonly Val[] = []): Node {
    const cond = this.expr('i32', 2);
    const label = this.labelName();
    this.labels.push({ ...(label ? { name: label } : {}), types: results });
    const t = then();
    const e = els?.();
    this.labels.pop();
    const type = params.length > 0 ? this.paramBlockType(params, results) : this.blockType(results);
    return { op: 'if', args: [cond], block: { kind: 'if', ...(label ? { label } : {}), type, body: t, ...(e ? { else: e } : {}) } };
  }

  funcsWith(results: readonly Val[]): FuncE[] {
    return this.g.funcs.filter((f) => f.sig.results.length === results.length && f.sig.results.every((t, i) => t === results[i]));
  }

  /** Nodes that leave exactly the values `results` (a call, a multi-value block, or one expr each). */
  values(results: readonly Val[], depth: number): Node[] {
    const r = this.r;
    if (results.length === 1) return [this.expr(results[0]!, depth)];
    if (results.length > 1 && depth > 0 && r.chance(0.3)) return [this.block('block', results, () => this.values(results, depth - 1).concat(this.stmts(1)))];
    const fs = this.funcsWith(results);
    if (fs.length > 0 && depth > 0 && r.chance(0.5)) return [this.call(r.pick(fs), depth)];
    return results.map((t) => this.expr(t, depth));
  }

  call(f: FuncE, depth: number): Node {
    const args = f.sig.params.map((t) => this.expr(t, depth - 1));
    const tables = this.g.tables.filter((t) => t.elem === 'funcref');
    if (tables.length > 0 && this.r.chance(0.4)) {
      const t = this.r.pick(tables);
      const table = t.index === 0 && this.r.chance(0.4) ? '' : ` ${this.ref(t)}`;
      const typed = f.use !== 'inline' && this.r.chance(0.6) ? ` (type ${this.ref(f.type!)})` : '';
      const use = typed === '' ? this.g.sigText(f.sig) : this.r.chance(0.3) ? typed + this.g.sigText(f.sig) : typed;
      return node(`call_indirect${table}${use}`, ...args, this.expr('i32', depth - 1));
    }
    return node(`call ${this.ref(f)}`, ...args);
  }

  expr(t: Val, depth: number): Node {
    const r = this.r;
    this.budget--;
    const leaf = depth <= 0 || this.budget <= 0;
    const choices: (() => Node | undefined)[] = [
      () => {
        const l = this.local(t);
        return l !== undefined ? node(`local.get ${l}`) : undefined;
      },
      () => {
        const gs = this.g.globals.filter((g) => g.type === t);
        return gs.length > 0 ? node(`global.get ${this.ref(r.pick(gs))}`) : undefined;
      },
    ];
    if (!leaf) {
      const ops = t === 'funcref' || t === 'externref' ? [] : OPS.get(t)!;
      const loads = this.g.mems.length > 0 ? LOADS.filter((l) => l[2] === t) : [];
      if (ops.length > 0) {
        // Twice: the numeric instructions are most of a body.
        for (let k = 0; k < 2; k++) choices.push(() => {
          const o = r.pick(ops);
          return node(o.op, ...o.params.map((p) => this.expr(p, depth - 1)));
        });
      }
      if (loads.length > 0) choices.push(() => {
        const [op, align] = r.pick(loads);
        return node(op + this.memarg(align), this.expr('i32', depth - 1));
      });
      choices.push(
        // A block left by a branch (the rest of its body is unreachable), or a trap.
        () => this.block('block', [t], () => [node(`br ${this.label([t])!}`, this.expr(t, depth - 1)), ...(r.chance(0.3) ? [node('unreachable')] : [])]),
        () => this.block('block', [t], () => [node('unreachable')]),
      );
      choices.push(
        () => {
          const fs = this.funcsWith([t]);
          return fs.length > 0 ? this.call(r.pick(fs), depth) : undefined;
        },
        () => this.block(r.chance(0.7) ? 'block' : 'loop', [t], () => [...this.stmts(2), this.expr(t, depth - 1)]),
        () => this.ifNode([t], () => [this.expr(t, depth - 1)], () => [this.expr(t, depth - 1)]),
        () => node('select' + (t === 'funcref' || t === 'externref' || r.chance(0.3) ? ` (result ${t})` : ''), this.expr(t, depth - 1), this.expr(t, depth - 1), this.expr('i32', depth - 1)),
        () => {
          const l = this.local(t);
          return l !== undefined ? node(`local.tee ${l}`, this.expr(t, depth - 1)) : undefined;
        },
        () => {
          // A block whose value may also leave through a branch to it, by name or depth.
          return this.block('block', [t], () => {
            const to = this.label([t])!;
            return [node(`br_if ${to}`, this.expr(t, depth - 1), this.expr('i32', depth - 1)), node('drop'), this.expr(t, depth - 1)];
          });
        },
      );
      if (t === 'i32' || t === 'i64') choices.push(() => node(`${t}.${r.pick(['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'rotr'])}`, this.expr(t, depth - 1), this.expr(t, depth - 1)));
      if (t === 'f32' || t === 'f64') choices.push(() => node(`${t}.${r.pick(['add', 'min', 'copysign'])}`, this.expr(t, depth - 1), this.expr(t, depth - 1)));
      if (t === 'i32') {
        choices.push(
          () => node(`i32.${r.pick(['eqz'])}`, this.expr('i32', depth - 1)),
          () => node(`i64.${r.pick(['eq', 'lt_s', 'ge_u'])}`, this.expr('i64', depth - 1), this.expr('i64', depth - 1)),
          () => node(`ref.is_null`, this.expr(r.pick(['funcref', 'externref'] as const), depth - 1)),
          () => (this.g.mems.length > 0 ? node(r.pick(['memory.size', 'i32.load8_u offset=3', 'i32.load align=2', 'i32.load16_s offset=1 align=1', 'i32.load'])) : undefined),
          () => (this.g.mems.length > 0 ? node('memory.grow', this.expr('i32', depth - 1)) : undefined),
          () => (this.g.tables.length > 0 ? node(`table.size ${this.ref(r.pick(this.g.tables))}`) : undefined),
          () => {
            const ts = this.g.tables.filter((x) => x.elem === 'funcref' || x.elem === 'externref');
            if (ts.length === 0) return undefined;
            const tt = r.pick(ts);
            return node(`table.grow ${this.ref(tt)}`, this.expr(tt.elem, depth - 1), this.expr('i32', depth - 1));
          },
        );
      }
      if (t === 'v128') {
        choices.push(
          () => node(r.pick(['i32x4.add', 'f32x4.mul', 'v128.and', 'i8x16.sub_sat_u', 'i16x8.extmul_low_i8x16_s', 'f64x2.pmin', 'i8x16.swizzle']), this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(r.pick(['i32x4.splat', 'i8x16.splat']), this.expr('i32', depth - 1)),
          () => node('v128.bitselect', this.expr('v128', depth - 1), this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(`i8x16.shuffle${Array.from({ length: 16 }, () => ' ' + r.int(32)).join('')}`, this.expr('v128', depth - 1), this.expr('v128', depth - 1)),
          () => node(`i32x4.replace_lane ${r.int(4)}`, this.expr('v128', depth - 1), this.expr('i32', depth - 1)),
          () => (this.g.mems.length > 0 ? node(r.pick(['v128.load offset=16', 'v128.load align=8', 'v128.load32_splat', 'v128.load8x8_s offset=2 align=1']), this.expr('i32', 0)) : undefined),
          () => (this.g.mems.length > 0 ? node(`v128.load16_lane offset=4 ${r.int(8)}`, this.expr('i32', 0), this.expr('v128', depth - 1)) : undefined),
        );
      }
      if (t === 'i32') choices.push(() => node(r.pick([`i32x4.extract_lane ${r.int(4)}`, `i8x16.extract_lane_u ${r.int(16)}`, 'v128.any_true', 'i8x16.bitmask']), this.expr('v128', depth - 1)));
      if (t === 'funcref' || t === 'externref') {
        choices.push(() => {
          const ts = this.g.tables.filter((x) => x.elem === t);
          if (ts.length === 0) return undefined;
          const tt = ts[r.int(ts.length)]!;
          const table = tt.index === 0 && r.chance(0.3) ? '' : ` ${this.ref(tt)}`;
          return node(`table.get${table}`, this.expr('i32', depth - 1));
        });
      }
    }
    // memory loads need their address operand
    const picked = r.pick(choices)();
    if (picked !== undefined) {
      if (/^i32\.load/.test(picked.op)) return node(picked.op, this.expr('i32', 0));
      return picked;
    }
    if (t === 'funcref') return r.chance(0.5) ? node('ref.null func') : node(`ref.func ${this.ref(r.pick(this.g.declared))}`);
    if (t === 'externref') return node('ref.null extern');
    return node(`${t}.const ${this.g.constant(t)}`);
  }

  /** ` offset=… align=…`, each optional; the alignment at most the natural one. */
  memarg(natural: number): string {
    const r = this.r;
    let s = '';
    if (r.chance(0.4)) s += ` offset=${r.pick([String(r.int(100)), '0x10', '4_294_967_295', '0', '65536'])}`;
    if (r.chance(0.4)) s += ` align=${1 << r.int(natural + 1)}`;
    return s;
  }

  /** Statements: instructions that leave the stack as they found it. */
  stmts(max = 4): Node[] {
    const out: Node[] = [];
    for (let i = 0, n = this.r.int(max + 1); i < n && this.budget > 0; i++) out.push(...this.stmt());
    return out;
  }

  stmt(): Node[] {
    const r = this.r;
    const g = this.g;
    const t = this.g.val();
    switch (r.int(18)) {
      case 0:
        return [node('drop', this.expr(t, 2))];
      case 1: {
        const l = this.local(t);
        return l !== undefined ? [node(`local.set ${l}`, this.expr(t, 2))] : [node('nop')];
      }
      case 2: {
        const gs = g.globals.filter((x) => x.mutable);
        if (gs.length === 0) return [];
        const x = r.pick(gs);
        return [node(`global.set ${this.ref(x)}`, this.expr(x.type, 2))];
      }
      case 3: {
        if (g.mems.length === 0) return [];
        const [op, align, type] = r.pick(STORES);
        return [node(op + this.memarg(align), this.expr('i32', 1), this.expr(type, 1))];
      }
      case 4: {
        if (g.mems.length === 0) return [];
        const ops = [node('memory.fill', this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)), node('memory.copy', this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1))];
        const ds = g.datas;
        if (ds.length > 0) {
          const d = r.pick(ds);
          ops.push(node(`memory.init ${this.ref(d)}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)), node(`data.drop ${this.ref(r.pick(ds))}`));
        }
        return [r.pick(ops)];
      }
      case 5: {
        if (g.tables.length === 0) return [];
        const tt = r.pick(g.tables);
        const es = g.elems.filter((e) => (e.ref ?? 'funcref') === tt.elem);
        const same = g.tables.filter((x) => x.elem === tt.elem);
        const ops = [
          node(`table.set ${this.ref(tt)}`, this.expr('i32', 1), this.expr(tt.elem, 1)),
          node(`table.fill ${this.ref(tt)}`, this.expr('i32', 1), this.expr(tt.elem, 1), this.expr('i32', 1)),
          node(`table.copy ${this.ref(tt)} ${this.ref(r.pick(same))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)),
        ];
        if (es.length > 0) ops.push(node(`table.init ${this.ref(tt)} ${this.ref(r.pick(es))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        if (g.elems.length > 0) ops.push(node(`elem.drop ${this.ref(r.pick(g.elems))}`));
        return [r.pick(ops)];
      }
      case 6: {
        const fs = this.funcsWith([]);
        return fs.length > 0 ? [this.call(r.pick(fs), 2)] : [];
      }
      case 7: {
        // Multi-value: a call or block leaving several values, dropped one by one.
        const rs = Array.from({ length: 2 }, () => this.g.val());
        return [...this.values(rs, 2), node('drop'), node('drop')];
      }
      case 8:
        return [this.ifNode([], () => this.stmts(2), r.chance(0.5) ? () => this.stmts(2) : undefined)];
      case 9:
        return [this.block(r.chance(0.5) ? 'block' : 'loop', [], () => this.stmts(2))];
      case 10: {
        // br_table over nested blocks: targets by name and depth.
        const depth = 1 + r.int(3);
        const build = (k: number): Node =>
          this.block('block', [], () => {
            if (k > 1) return [build(k - 1), ...this.stmts(1)];
            const targets = Array.from({ length: 1 + r.int(3) }, () => this.label([])!);
            return [node(`br_table ${targets.join(' ')}`, this.expr('i32', 1))];
          });
        return [build(depth)];
      }
      case 11: {
        // A block with a parameter: its operand comes from before it (an implicit type).
        const p = this.g.val(false);
        const res = this.g.val(false);
        if (r.chance(0.3)) {
          // An if with a parameter: the value below the condition enters both branches.
          const branch = (): Node[] => [node('drop'), this.expr(res, 1)];
          return [this.expr(p, 1), this.ifNode([res], branch, branch, [p]), node('drop')];
        }
        return [this.expr(p, 1), this.block(r.chance(0.5) ? 'block' : 'loop', [res], () => [node('drop'), this.expr(res, 1)], [p]), node('drop')];
      }
      case 12: {
        const to = this.label([]);
        return to !== undefined && r.chance(0.5) ? [node(`br_if ${to}`, this.expr('i32', 1))] : [node('nop')];
      }
      case 13: {
        // Leaving early: return with the function's results, or a trap, in a branch.
        // (Generated inside the branch: its label is in scope of any br in the operands.)
        const trap = r.chance(0.3);
        return [this.ifNode([], () => [trap ? node('unreachable') : node('return', ...this.results.map((x) => this.expr(x, 1)))], undefined)];
      }
      case 14: {
        // br_table carrying a value to blocks of the same result, by name and depth.
        const res = this.g.val(false);
        const inner = (): Node =>
          this.block('block', [res], () => {
            const targets = Array.from({ length: 1 + r.int(3) }, () => this.label([res])!);
            return [node(`br_table ${targets.join(' ')}`, this.expr(res, 1), this.expr('i32', 1))];
          });
        return [this.block('block', [res], () => [inner()]), node('drop')];
      }
      case 16:
      case 17: {
        // The segment instructions, whose indices count inline segments: often.
        const ops: Node[] = [];
        if (g.mems.length > 0 && g.datas.length > 0) ops.push(node(`memory.init ${this.ref(r.pick(g.datas))}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        if (g.datas.length > 0) ops.push(node(`data.drop ${this.ref(r.pick(g.datas))}`));
        if (g.elems.length > 0) ops.push(node(`elem.drop ${this.ref(r.pick(g.elems))}`));
        const inits = g.tables.flatMap((t) => g.elems.filter((e) => (e.ref ?? 'funcref') === t.elem).map((e) => [t, e] as const));
        if (inits.length > 0) {
          const [t, e] = r.pick(inits);
          // `table.init x y`, or `table.init y` for table 0.
          const tab = t.index === 0 && r.chance(0.3) ? '' : ` ${this.ref(t)}`;
          ops.push(node(`table.init${tab} ${this.ref(e)}`, this.expr('i32', 1), this.expr('i32', 1), this.expr('i32', 1)));
        }
        return ops.length > 0 ? [r.pick(ops)] : [];
      }
      default:
        return [node('nop')];
    }
  }
}
