/**
 * @file One or more test cases per primitive (`{ [P in Prim]: PrimCase[] }`: a new prim without a
 * case is a type error, and prims.test.ts also iterates the enum). Each case names its inputs,
 * builds the prim with `primOp`, states the expected output shape and whether it is differentiable.
 */
import { Prim, type Dtype, UNARY_PRIMS, BINARY_PRIMS, COMPARE_PRIMS } from '../../core/ir/prims';
import { primOp, type Tensor } from '../../core/tensor';
import type { Gen } from './support';

export interface CaseInput {
  shape: number[];
  dtype?: Dtype;
  gen?: Gen;
}

export interface PrimCase {
  label: string;
  inputs: CaseInput[];
  build: (xs: Tensor[]) => Tensor;
  shape: number[];
  /** finite-difference check of every f32 input (default true) */
  grad?: boolean;
}

const conv = { stride: [1, 1] as [number, number], padding: [1, 1, 1, 1] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: 1 };
const convStrided = { stride: [2, 2] as [number, number], padding: [1, 0, 1, 0] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: 2 };
const convDilated = { stride: [1, 2] as [number, number], padding: [0, 1, 2, 0] as [number, number, number, number], dilation: [2, 1] as [number, number], groups: 1 };
const pool = { kernel: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: [0, 0, 0, 0] as [number, number, number, number] };
const poolPadded = { kernel: [3, 3] as [number, number], stride: [2, 2] as [number, number], padding: [1, 1, 1, 1] as [number, number, number, number] };

const unaryGen: { [P in (typeof UNARY_PRIMS)[number]]: Gen } = {
  [Prim.Neg]: 'normal', [Prim.Recip]: 'nonzero', [Prim.Exp]: 'normal', [Prim.Log]: 'positive', [Prim.Sqrt]: 'positive',
  [Prim.Abs]: 'nonzero', [Prim.Sign]: 'nonzero', [Prim.Tanh]: 'normal', [Prim.Sigmoid]: 'normal', [Prim.Erf]: 'normal',
  [Prim.Sin]: 'normal', [Prim.Cos]: 'normal',
};

function unaryCases(p: (typeof UNARY_PRIMS)[number]): PrimCase[] {
  return [{ label: '[2,3]', inputs: [{ shape: [2, 3], gen: unaryGen[p] }], build: ([x]) => primOp(p, [x], {}), shape: [2, 3], grad: p !== Prim.Sign }];
}

function binaryCases(p: (typeof BINARY_PRIMS)[number]): PrimCase[] {
  const a: Gen = p === Prim.Pow ? 'positive' : 'normal';
  const b: Gen = p === Prim.Div ? 'nonzero' : 'normal';
  return [
    { label: '[2,3] x [3]', inputs: [{ shape: [2, 3], gen: a }, { shape: [3], gen: b }], build: ([x, y]) => primOp(p, [x, y], {}), shape: [2, 3] },
    { label: '[2,1] x [1,3]', inputs: [{ shape: [2, 1], gen: a }, { shape: [1, 3], gen: b }], build: ([x, y]) => primOp(p, [x, y], {}), shape: [2, 3] },
  ];
}

function compareCases(p: (typeof COMPARE_PRIMS)[number]): PrimCase[] {
  return [{ label: '[2,3] x [3]', inputs: [{ shape: [2, 3], gen: { int: 3 } }, { shape: [3], gen: { int: 3 } }], build: ([x, y]) => primOp(p, [x, y], {}), shape: [2, 3], grad: false }];
}

export const primCases: { [P in Prim]: PrimCase[] } = {
  [Prim.Neg]: unaryCases(Prim.Neg),
  [Prim.Recip]: unaryCases(Prim.Recip),
  [Prim.Exp]: unaryCases(Prim.Exp),
  [Prim.Log]: unaryCases(Prim.Log),
  [Prim.Sqrt]: unaryCases(Prim.Sqrt),
  [Prim.Abs]: unaryCases(Prim.Abs),
  [Prim.Sign]: unaryCases(Prim.Sign),
  [Prim.Tanh]: unaryCases(Prim.Tanh),
  [Prim.Sigmoid]: unaryCases(Prim.Sigmoid),
  [Prim.Erf]: unaryCases(Prim.Erf),
  [Prim.Sin]: unaryCases(Prim.Sin),
  [Prim.Cos]: unaryCases(Prim.Cos),
  [Prim.Add]: binaryCases(Prim.Add),
  [Prim.Sub]: binaryCases(Prim.Sub),
  [Prim.Mul]: binaryCases(Prim.Mul),
  [Prim.Div]: binaryCases(Prim.Div),
  [Prim.Pow]: binaryCases(Prim.Pow),
  [Prim.Max]: binaryCases(Prim.Max),
  [Prim.Min]: binaryCases(Prim.Min),
  [Prim.Lt]: compareCases(Prim.Lt),
  [Prim.Le]: compareCases(Prim.Le),
  [Prim.Gt]: compareCases(Prim.Gt),
  [Prim.Ge]: compareCases(Prim.Ge),
  [Prim.Eq]: compareCases(Prim.Eq),
  [Prim.Ne]: compareCases(Prim.Ne),
  [Prim.Where]: [{
    label: 'bool[2,3] ? [2,3] : [3]',
    inputs: [{ shape: [2, 3], dtype: 'bool', gen: 'bool' }, { shape: [2, 3] }, { shape: [3] }],
    build: ([c, a, b]) => primOp(Prim.Where, [c, a, b], {}), shape: [2, 3],
  }],
  [Prim.Cast]: [
    { label: 'f32 -> f32', inputs: [{ shape: [2, 3] }], build: ([x]) => primOp(Prim.Cast, [x], { dtype: 'f32' }), shape: [2, 3] },
    { label: 'f32 -> i32', inputs: [{ shape: [2, 3] }], build: ([x]) => primOp(Prim.Cast, [x], { dtype: 'i32' }), shape: [2, 3], grad: false },
    { label: 'i32 -> f32', inputs: [{ shape: [4], dtype: 'i32', gen: { int: 9 } }], build: ([x]) => primOp(Prim.Cast, [x], { dtype: 'f32' }), shape: [4], grad: false },
  ],
  [Prim.Sum]: [
    { label: 'axes [0,2]', inputs: [{ shape: [2, 3, 4] }], build: ([x]) => primOp(Prim.Sum, [x], { axes: [0, 2], keepDims: false }), shape: [3] },
    { label: 'axes [1] keepDims', inputs: [{ shape: [2, 3, 4] }], build: ([x]) => primOp(Prim.Sum, [x], { axes: [1], keepDims: true }), shape: [2, 1, 4] },
  ],
  [Prim.ReduceMax]: [
    { label: 'axes [1]', inputs: [{ shape: [2, 3, 4] }], build: ([x]) => primOp(Prim.ReduceMax, [x], { axes: [1], keepDims: false }), shape: [2, 4] },
    { label: 'all keepDims', inputs: [{ shape: [2, 3] }], build: ([x]) => primOp(Prim.ReduceMax, [x], { axes: [0, 1], keepDims: true }), shape: [1, 1] },
  ],
  [Prim.MatMul]: [
    { label: '[2,3,4] x [4,5]', inputs: [{ shape: [2, 3, 4] }, { shape: [4, 5] }], build: ([a, b]) => primOp(Prim.MatMul, [a, b], { transA: false, transB: false }), shape: [2, 3, 5] },
    { label: 'transA', inputs: [{ shape: [4, 3] }, { shape: [4, 2] }], build: ([a, b]) => primOp(Prim.MatMul, [a, b], { transA: true, transB: false }), shape: [3, 2] },
    { label: 'transB', inputs: [{ shape: [3, 4] }, { shape: [2, 4] }], build: ([a, b]) => primOp(Prim.MatMul, [a, b], { transA: false, transB: true }), shape: [3, 2] },
    { label: 'transA transB', inputs: [{ shape: [4, 3] }, { shape: [2, 4] }], build: ([a, b]) => primOp(Prim.MatMul, [a, b], { transA: true, transB: true }), shape: [3, 2] },
    { label: 'batch broadcast', inputs: [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }], build: ([a, b]) => primOp(Prim.MatMul, [a, b], { transA: false, transB: false }), shape: [2, 3, 3, 2] },
  ],
  [Prim.Reshape]: [{ label: '[2,3,4] -> [6,4]', inputs: [{ shape: [2, 3, 4] }], build: ([x]) => primOp(Prim.Reshape, [x], { shape: [6, 4] }), shape: [6, 4] }],
  [Prim.Transpose]: [{ label: 'perm [2,0,1]', inputs: [{ shape: [2, 3, 4] }], build: ([x]) => primOp(Prim.Transpose, [x], { perm: [2, 0, 1] }), shape: [4, 2, 3] }],
  [Prim.Broadcast]: [{ label: '[3,1] -> [2,3,4]', inputs: [{ shape: [3, 1] }], build: ([x]) => primOp(Prim.Broadcast, [x], { shape: [2, 3, 4] }), shape: [2, 3, 4] }],
  [Prim.Slice]: [
    { label: 'steps [2,3]', inputs: [{ shape: [5, 7] }], build: ([x]) => primOp(Prim.Slice, [x], { starts: [1, 0], ends: [5, 7], steps: [2, 3] }), shape: [2, 3] },
    { label: 'unit steps', inputs: [{ shape: [4, 3] }], build: ([x]) => primOp(Prim.Slice, [x], { starts: [1, 1], ends: [3, 3], steps: [1, 1] }), shape: [2, 2] },
  ],
  [Prim.Concat]: [{
    label: 'axis 1 of three', inputs: [{ shape: [2, 3] }, { shape: [2, 1] }, { shape: [2, 2] }],
    build: (xs) => primOp(Prim.Concat, xs, { axis: 1 }), shape: [2, 6],
  }],
  [Prim.Pad]: [{ label: '[[1,0],[2,1]]', inputs: [{ shape: [2, 3] }], build: ([x]) => primOp(Prim.Pad, [x], { pads: [[1, 0], [2, 1]], value: 0.5 }), shape: [3, 6] }],
  [Prim.Gather]: [
    { label: 'axis 0, idx [2,2]', inputs: [{ shape: [4, 3] }, { shape: [2, 2], dtype: 'i32', gen: { int: 4 } }], build: ([x, i]) => primOp(Prim.Gather, [x, i], { axis: 0 }), shape: [2, 2, 3] },
    { label: 'axis 1, idx [5]', inputs: [{ shape: [2, 3] }, { shape: [5], dtype: 'i32', gen: { int: 3 } }], build: ([x, i]) => primOp(Prim.Gather, [x, i], { axis: 1 }), shape: [2, 5] },
  ],
  [Prim.ScatterAdd]: [{
    label: 'axis 0, repeats', inputs: [{ shape: [5, 3] }, { shape: [5], dtype: 'i32', gen: { int: 4 } }],
    build: ([u, i]) => primOp(Prim.ScatterAdd, [u, i], { axis: 0, shape: [4, 3] }), shape: [4, 3],
  }],
  [Prim.Conv2d]: [
    { label: '3x3 pad 1', inputs: [{ shape: [2, 2, 4, 4] }, { shape: [3, 2, 3, 3] }], build: ([x, w]) => primOp(Prim.Conv2d, [x, w], conv), shape: [2, 3, 4, 4] },
    { label: 'stride 2, groups 2, asymmetric pad', inputs: [{ shape: [1, 4, 5, 5] }, { shape: [2, 2, 3, 3] }], build: ([x, w]) => primOp(Prim.Conv2d, [x, w], convStrided), shape: [1, 2, 2, 2] },
    { label: 'dilation 2', inputs: [{ shape: [1, 2, 6, 5] }, { shape: [2, 2, 2, 3] }], build: ([x, w]) => primOp(Prim.Conv2d, [x, w], convDilated), shape: [1, 2, 5, 3] },
  ],
  [Prim.Conv2dBackwardInput]: [{
    label: '3x3 pad 1', inputs: [{ shape: [2, 3, 4, 4] }, { shape: [3, 2, 3, 3] }],
    build: ([dy, w]) => primOp(Prim.Conv2dBackwardInput, [dy, w], { ...conv, inputShape: [2, 2, 4, 4] }), shape: [2, 2, 4, 4],
  }, {
    label: 'stride 2, groups 2', inputs: [{ shape: [1, 2, 2, 2] }, { shape: [2, 2, 3, 3] }],
    build: ([dy, w]) => primOp(Prim.Conv2dBackwardInput, [dy, w], { ...convStrided, inputShape: [1, 4, 5, 5] }), shape: [1, 4, 5, 5],
  }],
  [Prim.Conv2dBackwardWeight]: [{
    label: '3x3 pad 1', inputs: [{ shape: [2, 2, 4, 4] }, { shape: [2, 3, 4, 4] }],
    build: ([x, dy]) => primOp(Prim.Conv2dBackwardWeight, [x, dy], { ...conv, weightShape: [3, 2, 3, 3] }), shape: [3, 2, 3, 3],
  }, {
    label: 'dilation 2', inputs: [{ shape: [1, 2, 6, 5] }, { shape: [1, 2, 5, 3] }],
    build: ([x, dy]) => primOp(Prim.Conv2dBackwardWeight, [x, dy], { ...convDilated, weightShape: [2, 2, 2, 3] }), shape: [2, 2, 2, 3],
  }],
  [Prim.MaxPool2d]: [
    { label: '2x2 stride 2', inputs: [{ shape: [1, 2, 4, 4] }], build: ([x]) => primOp(Prim.MaxPool2d, [x], pool), shape: [1, 2, 2, 2] },
    { label: '3x3 stride 2 pad 1', inputs: [{ shape: [1, 1, 5, 5] }], build: ([x]) => primOp(Prim.MaxPool2d, [x], poolPadded), shape: [1, 1, 3, 3] },
  ],
  [Prim.AvgPool2d]: [
    { label: '2x2 stride 2', inputs: [{ shape: [1, 2, 4, 4] }], build: ([x]) => primOp(Prim.AvgPool2d, [x], pool), shape: [1, 2, 2, 2] },
    { label: '3x3 stride 2 pad 1', inputs: [{ shape: [1, 1, 5, 5] }], build: ([x]) => primOp(Prim.AvgPool2d, [x], poolPadded), shape: [1, 1, 3, 3] },
  ],
  [Prim.MaxPool2dBackward]: [{
    label: '2x2 stride 2', inputs: [{ shape: [1, 2, 4, 4] }, { shape: [1, 2, 2, 2] }],
    build: ([x, dy]) => primOp(Prim.MaxPool2dBackward, [x, dy], { ...pool, inputShape: [1, 2, 4, 4] }), shape: [1, 2, 4, 4], grad: false,
  }],
  [Prim.AvgPool2dBackward]: [{
    label: '3x3 stride 2 pad 1', inputs: [{ shape: [1, 1, 3, 3] }],
    build: ([dy]) => primOp(Prim.AvgPool2dBackward, [dy], { ...poolPadded, inputShape: [1, 1, 5, 5] }), shape: [1, 1, 5, 5],
  }],
  [Prim.Random]: [
    { label: 'uniform [3,4]', inputs: [{ shape: [], dtype: 'i32', gen: { int: 100 } }], build: ([c]) => primOp(Prim.Random, [c], { dist: 'uniform', shape: [3, 4], stream: 7 }), shape: [3, 4], grad: false },
    { label: 'normal [5]', inputs: [{ shape: [], dtype: 'i32', gen: { int: 100 } }], build: ([c]) => primOp(Prim.Random, [c], { dist: 'normal', shape: [5], stream: 8 }), shape: [5], grad: false },
  ],
  [Prim.Constant]: [{
    label: 'f32[2,2]', inputs: [], build: () => primOp(Prim.Constant, [], { value: [1, 2, 3, 4], shape: [2, 2], dtype: 'f32' }), shape: [2, 2], grad: false,
  }],
};
