/** @file Public surface of the IR: primitives, the SSA graph, shape rules. */
export * from './prims';
export {
  GraphBuilder, emptyGraph, pprint, verify, inferNode, sizeOf, sameType, formatType,
  type Graph, type AnyNode, type IrNode, type ValueId, type ValueInfo, type InitSpec, type GraphInput, type VariableKind,
} from './graph';
export { shapeRules, broadcastShapes, type ShapeRule } from './shapeRules';
export { IrError } from './error';
