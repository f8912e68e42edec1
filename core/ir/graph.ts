/**
 * @file The SSA graph: values (shape + dtype) defined once, either by a graph input (data input,
 * trainable parameter, persistent state) or by one primitive node. Nodes are kept in topological
 * order. Plain data (JSON-serialisable); `GraphBuilder` appends to it with shape inference.
 */
import { IrError } from './error';
import { PRIM_ARITY, Prim, type Dtype, type PrimParams } from './prims';
import { shapeRules } from './shapeRules';
import type { Initializer } from '../random/initializers';

export type ValueId = number;

export interface ValueInfo {
  shape: number[];
  dtype: Dtype;
}

export interface IrNode<P extends Prim = Prim> {
  prim: P;
  inputs: ValueId[];
  params: PrimParams[P];
  out: ValueId;
}

/** A node of any prim, discriminated by `prim` (narrows `params`). */
export type AnyNode = { [P in Prim]: IrNode<P> }[Prim];

/** How a persistent variable is filled at `prepare`: a core/random initializer drawing from Philox stream `stream`. */
export interface InitSpec {
  init: Initializer;
  stream: number;
}

export type VariableKind = 'param' | 'state';

export type GraphInput =
  | { kind: 'input'; name: string; value: ValueId }
  | { kind: VariableKind; name: string; value: ValueId; init: InitSpec };

export interface Graph {
  /** Indexed by ValueId. */
  values: ValueInfo[];
  inputs: GraphInput[];
  /** Topological order: every input of a node is a graph input or the output of an earlier node. */
  nodes: AnyNode[];
  outputs: { name: string; value: ValueId }[];
  /** Persistent variable `name` := `value`, applied in place after the whole step has run. */
  updates: { name: string; value: ValueId }[];
}

export function emptyGraph(): Graph {
  return { values: [], inputs: [], nodes: [], outputs: [], updates: [] };
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatType(v: ValueInfo): string {
  return `${v.dtype}[${v.shape.join(',')}]`;
}

/** Appends inputs and nodes to a graph (owned, mutated in place), inferring each value's type. */
export class GraphBuilder {
  readonly graph: Graph;
  private readonly names = new Set<string>();

  constructor(graph: Graph = emptyGraph()) {
    this.graph = graph;
    for (const i of graph.inputs) this.names.add(i.name);
  }

  info(v: ValueId): ValueInfo {
    const info = this.graph.values[v];
    if (info === undefined) throw new IrError(`unknown value %${v}`);
    return info;
  }

  private newValue(info: ValueInfo): ValueId {
    this.graph.values.push({ shape: [...info.shape], dtype: info.dtype });
    return this.graph.values.length - 1;
  }

  private claimName(name: string): void {
    if (this.names.has(name)) throw new IrError(`graph input '${name}' is declared twice`);
    this.names.add(name);
  }

  input(name: string, shape: readonly number[], dtype: Dtype = 'f32'): ValueId {
    checkShape(shape, `input '${name}'`);
    this.claimName(name);
    const value = this.newValue({ shape: [...shape], dtype });
    this.graph.inputs.push({ kind: 'input', name, value });
    return value;
  }

  variable(kind: VariableKind, name: string, shape: readonly number[], init: InitSpec, dtype: Dtype = 'f32'): ValueId {
    checkShape(shape, `${kind} '${name}'`);
    this.claimName(name);
    const value = this.newValue({ shape: [...shape], dtype });
    this.graph.inputs.push({ kind, name, value, init });
    return value;
  }

  findInput(name: string): GraphInput | undefined {
    return this.graph.inputs.find((i) => i.name === name);
  }

  node<P extends Prim>(prim: P, inputs: readonly ValueId[], params: PrimParams[P]): ValueId {
    const infos = inputs.map((v) => this.info(v));
    const out = inferNode(prim, infos, params);
    const id = this.newValue(out);
    const node: IrNode<P> = { prim, inputs: [...inputs], params, out: id };
    this.graph.nodes.push(node as AnyNode);
    return id;
  }

  output(name: string, value: ValueId): void {
    this.info(value);
    if (this.graph.outputs.some((o) => o.name === name)) throw new IrError(`output '${name}' is declared twice`);
    this.graph.outputs.push({ name, value });
  }

  update(name: string, value: ValueId): void {
    const target = this.findInput(name);
    if (target === undefined || target.kind === 'input') throw new IrError(`update of '${name}': not a parameter or state`);
    const t = this.info(target.value);
    const v = this.info(value);
    if (!sameType(t, v)) throw new IrError(`update of '${name}': ${formatType(v)} does not match ${formatType(t)}`);
    const existing = this.graph.updates.findIndex((u) => u.name === name);
    if (existing >= 0) this.graph.updates[existing] = { name, value };
    else this.graph.updates.push({ name, value });
  }
}

function checkShape(shape: readonly number[], what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new IrError(`${what}: shape [${shape.join(',')}] has a non-integer or negative dimension`);
  }
}

export function sameType(a: ValueInfo, b: ValueInfo): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** Arity check + shape rule of one node. */
export function inferNode<P extends Prim>(prim: P, inputs: ValueInfo[], params: PrimParams[P]): ValueInfo {
  const arity = PRIM_ARITY[prim];
  if (arity >= 0 ? inputs.length !== arity : inputs.length < 1) {
    throw new IrError(`${prim}: expects ${arity >= 0 ? arity : 'at least 1'} input(s), got ${inputs.length}`);
  }
  const rule = shapeRules[prim] as (i: ValueInfo[], p: PrimParams[P]) => ValueInfo;
  return rule(inputs, params);
}

/** Checks topological order, single definition, arity and every node's type against its shape rule. */
export function verify(graph: Graph): void {
  const defined = new Set<ValueId>();
  const define = (v: ValueId, what: string): void => {
    if (graph.values[v] === undefined) throw new IrError(`${what}: value %${v} has no type`);
    if (defined.has(v)) throw new IrError(`${what}: value %${v} is defined twice`);
    defined.add(v);
  };
  const names = new Set<string>();
  for (const i of graph.inputs) {
    if (names.has(i.name)) throw new IrError(`input '${i.name}' is declared twice`);
    names.add(i.name);
    define(i.value, `input '${i.name}'`);
  }
  graph.nodes.forEach((n, k) => {
    for (const v of n.inputs) if (!defined.has(v)) throw new IrError(`node #${k} (${n.prim}) reads %${v} before it is defined`);
    const inferred = inferNode(n.prim, n.inputs.map((v) => graph.values[v]), n.params);
    const declared = graph.values[n.out];
    if (declared === undefined || !sameType(inferred, declared)) {
      throw new IrError(`node #${k} (${n.prim}): declared ${declared ? formatType(declared) : '?'} but the rule gives ${formatType(inferred)}`);
    }
    define(n.out, `node #${k} (${n.prim})`);
  });
  for (const o of graph.outputs) if (!defined.has(o.value)) throw new IrError(`output '${o.name}' reads undefined %${o.value}`);
  for (const u of graph.updates) {
    const t = graph.inputs.find((i) => i.name === u.name);
    if (t === undefined || t.kind === 'input') throw new IrError(`update of '${u.name}': not a parameter or state`);
    if (!defined.has(u.value)) throw new IrError(`update of '${u.name}' reads undefined %${u.value}`);
    if (!sameType(graph.values[t.value], graph.values[u.value])) throw new IrError(`update of '${u.name}': type mismatch`);
  }
}

export function formatParams(params: object): string {
  const entries = Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return entries.length === 0 ? '' : ` {${entries.join(', ')}}`;
}

export function formatInit(spec: InitSpec): string {
  const { kind, ...args } = spec.init;
  const list = Object.values(args);
  return `${kind}${list.length === 0 ? '' : `(${list.join(', ')})`}#${spec.stream}`;
}

export function pprint(graph: Graph): string {
  const t = (v: ValueId): string => formatType(graph.values[v]);
  const lines: string[] = [];
  for (const i of graph.inputs) {
    const init = i.kind === 'input' ? '' : ` = ${formatInit(i.init)}`;
    lines.push(`${i.kind} ${i.name}: %${i.value} ${t(i.value)}${init}`);
  }
  for (const n of graph.nodes) {
    const params = n.prim === Prim.Constant && n.params.value.length > 8
      ? ` {shape=${JSON.stringify(n.params.shape)}, dtype="${n.params.dtype}", value=[${n.params.value.length} values]}`
      : formatParams(n.params);
    lines.push(`  %${n.out} ${t(n.out)} = ${n.prim}(${n.inputs.map((v) => `%${v}`).join(', ')})${params}`);
  }
  for (const o of graph.outputs) lines.push(`output ${o.name} = %${o.value}`);
  for (const u of graph.updates) lines.push(`update ${u.name} := %${u.value}`);
  return lines.join('\n');
}
