/**
 * @file Reverse mode over the IR: walk the nodes between `wrt` and the loss backwards, applying
 * each prim's vjp rule and summing cotangents; the backward nodes are appended to the same graph,
 * so forward + backward compile into one plan.
 */
import { IrError } from '../ir/error';
import type { AnyNode, Graph, ValueId } from '../ir/graph';
import type { Prim } from '../ir/prims';
import { Tracer } from '../tensor/trace';
import { Tensor, constant, zeros } from '../tensor/tensor';
import { withScope } from '../tensor/scope';
import { vjpRules, type VjpRule } from './vjpRules';

/**
 * Cotangents of `loss` with respect to `wrt`, traced into loss's graph. `loss` must be a scalar
 * unless a `seed` cotangent of its shape is given. Values the loss does not depend on get zeros.
 */
export function vjp(loss: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] {
  const scope = loss.scope;
  const graph = scope.builder.graph;
  if (seed === undefined && loss.size !== 1) throw new IrError(`grad: loss must be a scalar, got shape [${loss.shape.join(',')}]`);
  if (loss.dtype !== 'f32') throw new IrError(`grad: loss must be f32, got ${loss.dtype}`);
  for (const w of wrt) if (w.scope !== scope) throw new IrError('grad: wrt tensor belongs to another trace');

  return withScope(scope, () => {
    // nodes on a path wrt -> loss: forward-reachable from wrt and backward-reachable from loss
    const fromWrt = new Set<ValueId>(wrt.map((w) => w.id));
    const nodes = graph.nodes.slice();
    for (const n of nodes) if (n.inputs.some((v) => fromWrt.has(v))) fromWrt.add(n.out);
    const toLoss = new Set<ValueId>([loss.id]);
    for (let k = nodes.length - 1; k >= 0; k--) {
      const n = nodes[k];
      if (toLoss.has(n.out)) for (const v of n.inputs) toLoss.add(v);
    }
    const needs = (v: ValueId): boolean => fromWrt.has(v) && toLoss.has(v) && graph.values[v].dtype === 'f32';

    const cot = new Map<ValueId, Tensor>();
    cot.set(loss.id, seed ?? constant(1, loss.shape));
    for (let k = nodes.length - 1; k >= 0; k--) {
      const n = nodes[k];
      const g = cot.get(n.out);
      if (g === undefined || !n.inputs.some(needs)) continue;
      const contributions = applyRule(n, g);
      n.inputs.forEach((v, i) => {
        const c = contributions[i];
        if (c === null || c === undefined || !needs(v)) return;
        const prev = cot.get(v);
        cot.set(v, prev === undefined ? c : prev.add(c));
      });
    }
    return wrt.map((w) => cot.get(w.id) ?? zeros(w.shape));
  });

  function applyRule(n: AnyNode, g: Tensor): (Tensor | null)[] {
    const rule = vjpRules[n.prim] as VjpRule<Prim>;
    const inputs = n.inputs.map((v) => new Tensor(scope, v));
    const out = new Tensor(scope, n.out);
    const result = rule({ inputs, out, g, params: n.params });
    if (result.length !== n.inputs.length) throw new IrError(`vjp of ${n.prim} returned ${result.length} cotangents for ${n.inputs.length} inputs`);
    return result;
  }
}

/** Appends the backward pass of `loss` to `graph` (mutated) and returns the gradient value of each `wrt`. */
export function grad(graph: Graph, loss: ValueId, wrt: readonly ValueId[]): ValueId[] {
  const tracer = new Tracer(graph);
  return tracer.run((t) => vjp(t.wrap(loss), wrt.map((v) => t.wrap(v))).map((g) => g.id));
}
