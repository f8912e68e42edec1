/**
 * @file Lowering a graph to a Plan with liveness-based memory planning. Every temporary lives in an
 * arena slot from its defining step to its last read; slots are reused across non-overlapping
 * lifetimes (best fit, growing the largest free slot when none fits), so the backend allocates every
 * buffer once at prepare and a steady-state step allocates nothing. Graph outputs are written
 * straight into their output buffers; updates of persistent variables are `copy` steps at the end,
 * after every read of the old values.
 */
import { sizeOf, type Graph, type ValueId, type ValueInfo } from '../ir/graph';
import { Prim, isBinary, isCompare, isUnary } from '../ir/prims';
import { storageOf, type BufferId, type BufferRole, type Kernel, type Plan, type PlanBuffer, type Step, type Storage } from './plan';

class SlotAllocator {
  private readonly free: PlanBuffer[] = [];
  constructor(private readonly newBuffer: (role: BufferRole, storage: Storage, size: number) => PlanBuffer) {}

  take(storage: Storage, size: number): PlanBuffer {
    const candidates = this.free.filter((b) => b.storage === storage);
    const fits = candidates.filter((b) => b.size >= size).sort((a, b) => a.size - b.size);
    const chosen = fits[0] ?? candidates.sort((a, b) => b.size - a.size)[0];
    if (chosen === undefined) return this.newBuffer('slot', storage, size);
    this.free.splice(this.free.indexOf(chosen), 1);
    chosen.size = Math.max(chosen.size, size);
    return chosen;
  }

  release(b: PlanBuffer): void {
    this.free.push(b);
  }
}

/**
 * Whether `prim` may write its output over input `input` (same element count, same storage):
 * elementwise kernels read element i of each same-shape operand before writing element i, and a
 * reshape over its own storage is a no-op.
 */
export function canRunInPlace(prim: Prim, input: ValueInfo, output: ValueInfo): boolean {
  if (storageOf(input.dtype) !== storageOf(output.dtype) || sizeOf(input.shape) !== sizeOf(output.shape)) return false;
  if (prim === Prim.Reshape) return true;
  return (isUnary(prim) || isBinary(prim) || isCompare(prim)) && input.shape.length === output.shape.length;
}

export function lower(graph: Graph): Plan {
  const buffers: PlanBuffer[] = [];
  const newBuffer = (role: BufferRole, storage: Storage, size: number, name?: string): PlanBuffer => {
    const b: PlanBuffer = { id: buffers.length, role, storage, size, ...(name === undefined ? {} : { name }) };
    buffers.push(b);
    return b;
  };
  const plan: Plan = { version: 1, buffers, inputs: [], outputs: [], variables: [], constants: [], steps: [] };
  const steps: Step[] = plan.steps;
  /** where each value lives */
  const home = new Map<ValueId, PlanBuffer>();
  const typeOf = (v: ValueId) => graph.values[v];

  for (const i of graph.inputs) {
    const t = typeOf(i.value);
    const io = { name: i.name, shape: [...t.shape], dtype: t.dtype };
    if (i.kind === 'input') {
      const b = newBuffer('input', storageOf(t.dtype), sizeOf(t.shape), i.name);
      plan.inputs.push({ ...io, buffer: b.id });
      home.set(i.value, b);
    } else {
      const b = newBuffer('variable', storageOf(t.dtype), sizeOf(t.shape), i.name);
      plan.variables.push({ ...io, buffer: b.id, kind: i.kind, init: i.init });
      home.set(i.value, b);
    }
  }
  for (const n of graph.nodes) {
    if (n.prim !== Prim.Constant) continue;
    const b = newBuffer('constant', storageOf(n.params.dtype), n.params.value.length);
    plan.constants.push({ buffer: b.id, value: [...n.params.value] });
    home.set(n.out, b);
  }
  // the first output naming a node-defined value is written in place; the rest are copied at the end
  const directOutput = new Map<ValueId, PlanBuffer>();
  const outputBuffers = graph.outputs.map((o) => {
    const t = typeOf(o.value);
    const b = newBuffer('output', storageOf(t.dtype), sizeOf(t.shape), o.name);
    plan.outputs.push({ name: o.name, buffer: b.id, shape: [...t.shape], dtype: t.dtype });
    if (!home.has(o.value) && !directOutput.has(o.value)) directOutput.set(o.value, b);
    return b;
  });

  // liveness: index of the last node reading each value; values read at the end are pinned
  const END = graph.nodes.length;
  const lastUse = new Map<ValueId, number>();
  graph.nodes.forEach((n, k) => { for (const v of n.inputs) lastUse.set(v, k); });
  for (const o of graph.outputs) lastUse.set(o.value, END);
  for (const u of graph.updates) lastUse.set(u.value, END);

  const slots = new SlotAllocator(newBuffer);
  const release = (v: ValueId): void => {
    const b = home.get(v);
    if (b === undefined || b.role !== 'slot') return;
    steps.push({ op: 'free', buffer: b.id });
    slots.release(b);
  };
  graph.nodes.forEach((n, k) => {
    if (n.prim === Prim.Constant) return;
    const t = typeOf(n.out);
    let out = directOutput.get(n.out);
    // an elementwise op may write over a same-shape operand that dies here (the kernels allow it)
    const donor = out !== undefined ? undefined : n.inputs.find((v) => {
      const b = home.get(v);
      return b !== undefined && b.role === 'slot' && lastUse.get(v) === k && canRunInPlace(n.prim, typeOf(v), t);
    });
    if (donor !== undefined) out = home.get(donor);
    if (out === undefined) {
      out = slots.take(storageOf(t.dtype), sizeOf(t.shape));
      steps.push({ op: 'alloc', buffer: out.id, size: sizeOf(t.shape) });
    }
    home.set(n.out, out);
    const kernel = { kind: 'prim', prim: n.prim, params: n.params, inputs: n.inputs.map(typeOf), output: typeOf(n.out) } as Kernel;
    steps.push({ op: 'run', kernel, inputs: n.inputs.map((v) => (home.get(v) as PlanBuffer).id), output: out.id });
    // free after the run: a kernel never writes over its own inputs
    for (const v of new Set(n.inputs)) if (lastUse.get(v) === k && v !== donor) release(v);
    if (!lastUse.has(n.out)) release(n.out);
  });

  graph.outputs.forEach((o, i) => {
    const src = home.get(o.value) as PlanBuffer;
    if (src.id !== outputBuffers[i].id) steps.push({ op: 'copy', from: src.id, to: outputBuffers[i].id, size: sizeOf(typeOf(o.value).shape) });
  });
  // an update reading another variable is stashed first, so the update order cannot matter
  const sources = graph.updates.map((u) => {
    const src = home.get(u.value) as PlanBuffer;
    if (src.role !== 'variable' || src.name === u.name) return src;
    const size = sizeOf(typeOf(u.value).shape);
    const stash = slots.take(src.storage, size);
    steps.push({ op: 'alloc', buffer: stash.id, size }, { op: 'copy', from: src.id, to: stash.id, size });
    return stash;
  });
  graph.updates.forEach((u, i) => {
    const target = plan.variables.find((v) => v.name === u.name);
    const src = sources[i];
    if (target !== undefined && src.id !== target.buffer) steps.push({ op: 'copy', from: src.id, to: target.buffer, size: sizeOf(target.shape) });
  });
  const pinned = new Set<BufferId>();
  for (const v of [...graph.outputs.map((o) => o.value), ...graph.updates.map((u) => u.value)]) {
    const b = home.get(v) as PlanBuffer;
    if (b.role === 'slot' && !pinned.has(b.id)) {
      pinned.add(b.id);
      steps.push({ op: 'free', buffer: b.id });
    }
  }
  for (const s of sources) if (s.role === 'slot' && !pinned.has(s.id)) steps.push({ op: 'free', buffer: s.id });
  return plan;
}
