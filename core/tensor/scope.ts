/**
 * @file The trace scope: which graph the free functions (`constant`, `random`, `concat`, ...) append
 * to. `trace()` pushes one for the duration of the traced function; tensors carry their own scope.
 */
import { IrError } from '../ir/error';
import type { GraphBuilder, ValueId } from '../ir/graph';

export interface TraceScope {
  readonly builder: GraphBuilder;
  /** The scalar i32 step counter input (named 'step'), declared on first use; it is the `random` counter. */
  step(): ValueId;
  /** A fresh Philox stream id for a `random` node. */
  nextRandomStream(): number;
}

const stack: TraceScope[] = [];

export function currentScope(): TraceScope {
  const top = stack[stack.length - 1];
  if (top === undefined) throw new IrError('no active trace: call this inside trace(...)');
  return top;
}

export function withScope<T>(scope: TraceScope, fn: () => T): T {
  stack.push(scope);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}
