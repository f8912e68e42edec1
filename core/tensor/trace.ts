/**
 * @file Tracing: declare inputs, parameters and persistent state, run a function written with the
 * Tensor API, get an IR graph with named outputs and in-place updates.
 *
 *   const graph = trace((t) => {
 *     const x = t.input('x', [8, 4]);
 *     const w = t.param('dense.kernel', [4, 2], { init: { kind: 'glorotUniform' }, stream: streamId('dense', 'kernel') });
 *     t.output('y', x.matmul(w));
 *   });
 */
import { IrError } from '../ir/error';
import { GraphBuilder, emptyGraph, type Graph, type InitSpec, type ValueId } from '../ir/graph';
import type { Dtype } from '../ir/prims';
import { withScope, type TraceScope } from './scope';
import { Tensor } from './tensor';

/** Name of the scalar i32 step-counter input (the `random` counter, the optimizer step). */
export const STEP_INPUT = 'step';
/** First stream id handed to `random` nodes; initializer streams (core/random) stay below it. */
export const RANDOM_STREAM_BASE = 1 << 24;

export class Tracer implements TraceScope {
  readonly builder: GraphBuilder;
  private randomStreams: number;

  constructor(graph: Graph = emptyGraph()) {
    this.builder = new GraphBuilder(graph);
    const used = graph.nodes.flatMap((n) => (n.prim === 'random' ? [n.params.stream] : []));
    this.randomStreams = Math.max(RANDOM_STREAM_BASE - 1, ...used) + 1;
  }

  get graph(): Graph {
    return this.builder.graph;
  }

  step(): ValueId {
    const existing = this.builder.findInput(STEP_INPUT);
    if (existing === undefined) return this.builder.input(STEP_INPUT, [], 'i32');
    if (existing.kind !== 'input') throw new IrError(`'${STEP_INPUT}' is reserved for the step counter`);
    return existing.value;
  }

  /** The step counter as a Tensor (scalar i32). */
  stepTensor(): Tensor {
    return new Tensor(this, this.step());
  }

  nextRandomStream(): number {
    return this.randomStreams++;
  }

  /** Wraps an existing value of this graph. */
  wrap(value: ValueId): Tensor {
    this.builder.info(value);
    return new Tensor(this, value);
  }

  /** Looks up a declared input, parameter or state by name. */
  get(name: string): Tensor {
    const i = this.builder.findInput(name);
    if (i === undefined) throw new IrError(`no input, parameter or state named '${name}'`);
    return new Tensor(this, i.value);
  }

  input(name: string, shape: readonly number[], dtype: Dtype = 'f32'): Tensor {
    return new Tensor(this, this.builder.input(name, shape, dtype));
  }
  /** A trainable parameter: persistent, initialised at prepare by `init`. */
  param(name: string, shape: readonly number[], init: InitSpec): Tensor {
    return new Tensor(this, this.builder.variable('param', name, shape, init));
  }
  /** Non-trainable persistent state (running statistics, optimizer moments). */
  state(name: string, shape: readonly number[], init: InitSpec = { init: { kind: 'zeros' }, stream: 0 }): Tensor {
    return new Tensor(this, this.builder.variable('state', name, shape, init));
  }
  output(name: string, t: Tensor): void {
    this.check(t);
    this.builder.output(name, t.id);
  }
  /** Persistent `name` := t at the end of the step (in place). */
  update(name: string, t: Tensor): void {
    this.check(t);
    this.builder.update(name, t.id);
  }

  /** Runs fn with this tracer as the scope of the free functions (constant, random, ...). */
  run<T>(fn: (t: Tracer) => T): T {
    return withScope(this, () => fn(this));
  }

  private check(t: Tensor): void {
    if (t.scope !== this) throw new IrError('tensor belongs to another trace');
  }
}

/** Traces fn into a new graph (or appends to `graph`, which is mutated). */
export function trace(fn: (t: Tracer) => void, graph: Graph = emptyGraph()): Graph {
  const tracer = new Tracer(graph);
  tracer.run(fn);
  return tracer.graph;
}
