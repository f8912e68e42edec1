/** @file core/model: validation, shape inference and tracing of the networks people draw. */
export * from './diagnostics';
export { analyzeProject, validateNetwork, type EdgeAnalysis, type NetworkAnalysis, type NodeAnalysis, type ProjectAnalysis, type Totals, type ValidateOptions } from './analyze';
export { nodeName } from './structure';
export { traceNetwork, initializerOf, LOSS_OUTPUT, type TraceOptions, type TraceResult, type TracedNetwork, type TracedField, type TracedVariable } from './trace';
export { traceLayer, type LayerTrace, type LayerTraceResult } from './traceLayer';
