/**
 * @file Graph simplification before lowering: common-subexpression elimination, folding of tiny
 * constant expressions and algebraic identities (x*1, x+0, x-0, x/1), dead-code elimination.
 * Each pass returns a new graph; value ids are kept (removed values simply stop being defined).
 */
import { sizeOf, type AnyNode, type Graph, type ValueId } from '../ir/graph';
import { Prim, isBinary, isCompare, isUnary, type Dtype } from '../ir/prims';

/** Constant expressions up to this many elements are evaluated at compile time. */
export const FOLD_LIMIT = 64;

function remapped(graph: Graph, nodes: AnyNode[], subst: Map<ValueId, ValueId>): Graph {
  const r = (v: ValueId): ValueId => subst.get(v) ?? v;
  return {
    values: graph.values,
    inputs: graph.inputs,
    nodes: nodes.map((n) => ({ ...n, inputs: n.inputs.map(r) }) as AnyNode),
    outputs: graph.outputs.map((o) => ({ name: o.name, value: r(o.value) })),
    updates: graph.updates.map((u) => ({ name: u.name, value: r(u.value) })),
  };
}

/** Merges nodes with the same prim, inputs and params (random nodes differ by stream). */
export function eliminateCommonSubexpressions(graph: Graph): Graph {
  const seen = new Map<string, ValueId>();
  const subst = new Map<ValueId, ValueId>();
  const kept: AnyNode[] = [];
  for (const n of graph.nodes) {
    const inputs = n.inputs.map((v) => subst.get(v) ?? v);
    const key = `${n.prim}|${inputs.join(',')}|${JSON.stringify(n.params)}`;
    const prev = seen.get(key);
    if (prev !== undefined) subst.set(n.out, prev);
    else {
      seen.set(key, n.out);
      kept.push({ ...n, inputs } as AnyNode);
    }
  }
  return remapped(graph, kept, subst);
}

/** Keeps only nodes that outputs or updates depend on. */
export function eliminateDeadCode(graph: Graph): Graph {
  const needed = new Set<ValueId>([...graph.outputs.map((o) => o.value), ...graph.updates.map((u) => u.value)]);
  const kept: AnyNode[] = [];
  for (let k = graph.nodes.length - 1; k >= 0; k--) {
    const n = graph.nodes[k];
    if (!needed.has(n.out)) continue;
    kept.push(n);
    for (const v of n.inputs) needed.add(v);
  }
  return { ...graph, nodes: kept.reverse() };
}

const scalarOps: { [P in Prim]?: (...x: number[]) => number } = {
  [Prim.Neg]: (x) => -x,
  [Prim.Recip]: (x) => 1 / x,
  [Prim.Exp]: Math.exp,
  [Prim.Log]: Math.log,
  [Prim.Sqrt]: Math.sqrt,
  [Prim.Abs]: Math.abs,
  [Prim.Sign]: (x) => Math.sign(x) + 0,
  [Prim.Tanh]: Math.tanh,
  [Prim.Sigmoid]: (x) => 1 / (1 + Math.exp(-x)),
  [Prim.Sin]: Math.sin,
  [Prim.Cos]: Math.cos,
  [Prim.Add]: (a, b) => a + b,
  [Prim.Sub]: (a, b) => a - b,
  [Prim.Mul]: (a, b) => a * b,
  [Prim.Div]: (a, b) => a / b,
  [Prim.Pow]: Math.pow,
  [Prim.Max]: Math.max,
  [Prim.Min]: Math.min,
  [Prim.Lt]: (a, b) => +(a < b),
  [Prim.Le]: (a, b) => +(a <= b),
  [Prim.Gt]: (a, b) => +(a > b),
  [Prim.Ge]: (a, b) => +(a >= b),
  [Prim.Eq]: (a, b) => +(a === b),
  [Prim.Ne]: (a, b) => +(a !== b),
  [Prim.Where]: (c, a, b) => (c !== 0 ? a : b),
};

/** Element i of `shape` read from an operand of `inShape` broadcast to `shape`. */
function broadcastIndex(i: number, shape: readonly number[], inShape: readonly number[]): number {
  let rem = i;
  let idx = 0;
  let stride = 1;
  for (let a = shape.length - 1, b = inShape.length - 1; a >= 0; a--, b--) {
    const coord = rem % shape[a];
    rem = Math.floor(rem / shape[a]);
    if (b >= 0) {
      if (inShape[b] !== 1) idx += coord * stride;
      stride *= inShape[b];
    }
  }
  return idx;
}

function castValue(x: number, dtype: Dtype): number {
  if (dtype === 'i32') return Math.trunc(x) | 0;
  if (dtype === 'bool') return x !== 0 ? 1 : 0;
  return x;
}

/** Evaluates a node whose inputs are all small constants, or undefined if it cannot. */
function evaluate(n: AnyNode, graph: Graph, consts: Map<ValueId, number[]>): number[] | undefined {
  const out = graph.values[n.out];
  const size = sizeOf(out.shape);
  if (size > FOLD_LIMIT || n.inputs.length === 0) return undefined;
  const args = n.inputs.map((v) => consts.get(v));
  if (args.some((a) => a === undefined)) return undefined;
  const vals = args as number[][];
  const shapes = n.inputs.map((v) => graph.values[v].shape);
  if (n.prim === Prim.Reshape) return vals[0].slice();
  if (n.prim === Prim.Broadcast) return Array.from({ length: size }, (_, i) => vals[0][broadcastIndex(i, out.shape, shapes[0])]);
  if (n.prim === Prim.Cast) return vals[0].map((x) => castValue(x, n.params.dtype));
  const f = scalarOps[n.prim];
  if (f === undefined || !(isUnary(n.prim) || isBinary(n.prim) || isCompare(n.prim) || n.prim === Prim.Where)) return undefined;
  if (out.dtype === 'i32' && !isCompare(n.prim)) return undefined; // keep integer arithmetic semantics in kernels
  return Array.from({ length: size }, (_, i) => f(...vals.map((v, k) => v[broadcastIndex(i, out.shape, shapes[k])])));
}

function isAll(values: number[] | undefined, x: number): boolean {
  return values !== undefined && values.every((v) => v === x);
}

/** Folds tiny constant expressions into constants and removes x*1, x+0, x-0, x/1. */
export function foldConstants(graph: Graph): Graph {
  const consts = new Map<ValueId, number[]>();
  const subst = new Map<ValueId, ValueId>();
  const nodes: AnyNode[] = [];
  for (const n0 of graph.nodes) {
    const n = { ...n0, inputs: n0.inputs.map((v) => subst.get(v) ?? v) } as AnyNode;
    if (n.prim === Prim.Constant) {
      consts.set(n.out, n.params.value);
      nodes.push(n);
      continue;
    }
    const folded = evaluate(n, graph, consts);
    if (folded !== undefined) {
      const t = graph.values[n.out];
      consts.set(n.out, folded);
      nodes.push({ prim: Prim.Constant, inputs: [], params: { value: folded, shape: [...t.shape], dtype: t.dtype }, out: n.out });
      continue;
    }
    const identity = algebraicIdentity(n, graph, consts);
    if (identity !== undefined) subst.set(n.out, identity);
    else nodes.push(n);
  }
  return remapped(graph, nodes, subst);
}

function algebraicIdentity(n: AnyNode, graph: Graph, consts: Map<ValueId, number[]>): ValueId | undefined {
  const out = graph.values[n.out];
  const passes = (v: ValueId): boolean => {
    const t = graph.values[v];
    return t.dtype === out.dtype && t.shape.length === out.shape.length && t.shape.every((d, i) => d === out.shape[i]);
  };
  const [a, b] = n.inputs;
  switch (n.prim) {
    case Prim.Mul:
      if (isAll(consts.get(b), 1) && passes(a)) return a;
      if (isAll(consts.get(a), 1) && passes(b)) return b;
      return undefined;
    case Prim.Add:
      if (isAll(consts.get(b), 0) && passes(a)) return a;
      if (isAll(consts.get(a), 0) && passes(b)) return b;
      return undefined;
    case Prim.Sub:
      return isAll(consts.get(b), 0) && passes(a) ? a : undefined;
    case Prim.Div:
      return isAll(consts.get(b), 1) && passes(a) ? a : undefined;
    default:
      return undefined;
  }
}

/** The default pipeline: fold, CSE, fold again (CSE exposes more), DCE. */
export function simplify(graph: Graph): Graph {
  return eliminateDeadCode(foldConstants(eliminateCommonSubexpressions(foldConstants(graph))));
}
