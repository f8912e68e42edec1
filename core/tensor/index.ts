/** @file Public surface of the tracing front end. */
export { Tensor, constant, zeros, ones, iota, concat, stack, oneHot, random, primOp, type TensorLike } from './tensor';
export type { ConvOptions, PoolOptions } from './options';
export { Tracer, trace, STEP_INPUT, RANDOM_STREAM_BASE } from './trace';
export { currentScope, withScope, type TraceScope } from './scope';
