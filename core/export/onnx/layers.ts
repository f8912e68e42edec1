/**
 * @file How each layer becomes ONNX operators (opset 17), one entry per registry type: the
 * mapped type over `LayerType` makes a new layer without an entry a build error. Layouts:
 * Dense kernel [in, out] → MatMul(x, W) + b; Conv weights are ONNX's ([out, in/g, kh, kw] and
 * ConvTranspose's [in, out/g, kh, kw]); recurrent gate blocks are reordered from PyTorch's
 * (LSTM i,f,g,o → ONNX i,o,f,c; GRU r,z,n → ONNX z,r,h with linear_before_reset = 1). The batch
 * axis stays symbolic: reshapes copy it with a 0 in the target shape.
 */
import type { LayerType } from '../../layers';
import { convPads, type PadMode } from '../../layers/conv';
import { sinusoids } from '../../layers/positionalEncoding';
import { ONNX_INT64, type AttributeValue, type OnnxElemType } from './model';

type Params = Readonly<Record<string, unknown>>;

/** What an emitter may do: read its inputs and weights, add constants and operators. */
export interface EmitContext {
  readonly nodeId: string;
  readonly params: Params;
  /** Input shapes with the batch as 'B'. */
  shape(port: string): readonly (number | string)[];
  /** The ONNX value feeding an input port. */
  input(port: string): string;
  /** Connected `in0 … in{n-1}` values of an n-ary layer. */
  numberedInputs(): string[];
  hasWeight(name: string): boolean;
  /** The initializer `${nodeId}.${name}` (a weight or a state tensor), as stored. */
  weight(name: string): string;
  /** A weight's values, for layers whose ONNX layout differs (recurrent gates). */
  weightValues(name: string): { shape: readonly number[]; values: ArrayLike<number> };
  /** A new initializer holding `values`. */
  constant(suffix: string, dims: readonly number[], values: ArrayLike<number>, type?: OnnxElemType): string;
  /** One operator; returns its outputs (named after the node). */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>, outputs?: number): string[];
}

export type Emit = (ctx: EmitContext) => Readonly<Record<string, string>>;

/** A layer either emits ONNX, is left out of the inference model (losses), or cannot be exported (with why). */
export type OnnxRule = { emit: Emit } | { skip: string } | { unsupported: string };

const num = (p: Params, k: string): number => p[k] as number;
const ints = (p: Params, k: string): number[] => [...(p[k] as readonly number[])];
const one = (xs: string[]): string => xs[0];

const unary = (opType: string, attributes?: Record<string, AttributeValue>): OnnxRule => ({ emit: (c) => ({ out: one(c.op(opType, [c.input('in')], attributes)) }) });

/** x·W (+ b) over the last axis; MatMul broadcasts over leading axes. */
function linear(c: EmitContext, x: string, kernel: string, bias?: string): string {
  const y = one(c.op('MatMul', [x, kernel]));
  return bias ? one(c.op('Add', [y, bias])) : y;
}

/** x/2 · (1 + erf(x/√2)) */
function gelu(c: EmitContext, x: string): string {
  const erf = one(c.op('Erf', [one(c.op('Mul', [x, c.constant('sqrt1_2', [], [Math.SQRT1_2])]))]));
  const onePlus = one(c.op('Add', [erf, c.constant('one', [], [1])]));
  return one(c.op('Mul', [one(c.op('Mul', [x, onePlus])), c.constant('half', [], [0.5])]));
}

function layerNorm(c: EmitContext, x: string, epsilon: number, width: number, gamma?: string, beta?: string): string {
  const scale = gamma ?? c.constant('ones', [width], new Float32Array(width).fill(1));
  return one(c.op('LayerNormalization', beta ? [x, scale, beta] : [x, scale], { axis: -1, epsilon: { float: epsilon } }));
}

/** softmax(q·kᵀ/√d + mask)·v over heads, then the output projection; x is [B, T, E]. */
function selfAttention(c: EmitContext, x: string, heads: number, causal: boolean, bias: boolean): string {
  const [, t, e] = c.shape('in') as [string, number, number];
  const d = e / heads;
  const w = (n: string): string | undefined => (c.hasWeight(n) ? c.weight(n) : undefined);
  const splitShape = c.constant('split_shape', [4], [0, 0, heads, d], ONNX_INT64);
  const split = (y: string): string => one(c.op('Transpose', [one(c.op('Reshape', [y, splitShape]))], { perm: [0, 2, 1, 3] }));
  const q = split(linear(c, x, c.weight('wq'), bias ? w('bq') : undefined));
  const k = split(linear(c, x, c.weight('wk'), bias ? w('bk') : undefined));
  const v = split(linear(c, x, c.weight('wv'), bias ? w('bv') : undefined));
  const kT = one(c.op('Transpose', [k], { perm: [0, 1, 3, 2] }));
  let scores = one(c.op('Mul', [one(c.op('MatMul', [q, kT])), c.constant('scale', [], [1 / Math.sqrt(d)])]));
  if (causal) {
    // -1e9 above the diagonal, as the engine adds (exp underflows to exactly 0)
    const mask = Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? -1e9 : 0));
    scores = one(c.op('Add', [scores, c.constant('causal_mask', [t, t], mask)]));
  }
  const attended = one(c.op('MatMul', [one(c.op('Softmax', [scores], { axis: -1 })), v]));
  const joined = one(c.op('Reshape', [one(c.op('Transpose', [attended], { perm: [0, 2, 1, 3] })), c.constant('join_shape', [3], [0, 0, e], ONNX_INT64)]));
  return linear(c, joined, c.weight('wo'), bias ? w('bo') : undefined);
}

/** Rows of a [gates·H, …] weight (or [gates·H] bias) with its gate blocks taken in `order`. */
function reorderGates(values: ArrayLike<number>, rows: number, cols: number, order: readonly number[]): Float32Array {
  const units = rows / order.length;
  const out = new Float32Array(rows * cols);
  order.forEach((src, dst) => {
    for (let r = 0; r < units; r++) {
      for (let k = 0; k < cols; k++) out[(dst * units + r) * cols + k] = values[(src * units + r) * cols + k];
    }
  });
  return out;
}

/**
 * ONNX LSTM/GRU on [T, B, I] (layout 0): W [1, G·H, I], R [1, G·H, H], B [1, 2·G·H] = [Wb; Rb].
 * Output Y [T, 1, B, H] → [B, T, H], or Y_h [1, B, H] → [B, H].
 */
function recurrent(opType: 'LSTM' | 'GRU', order: readonly number[]): OnnxRule {
  return {
    emit: (c) => {
      const units = num(c.params, 'units');
      const gates = order.length;
      const ih = c.weightValues('weightIh');
      const hh = c.weightValues('weightHh');
      const features = ih.shape[1];
      const W = c.constant('W', [1, gates * units, features], reorderGates(ih.values, gates * units, features, order));
      const R = c.constant('R', [1, gates * units, units], reorderGates(hh.values, gates * units, units, order));
      const inputs = [one(c.op('Transpose', [c.input('in')], { perm: [1, 0, 2] })), W, R];
      if (c.hasWeight('biasIh')) {
        const b = new Float32Array(2 * gates * units);
        b.set(reorderGates(c.weightValues('biasIh').values, gates * units, 1, order), 0);
        b.set(reorderGates(c.weightValues('biasHh').values, gates * units, 1, order), gates * units);
        inputs.push(c.constant('B', [1, 2 * gates * units], b));
      }
      const attributes: Record<string, AttributeValue> = { hidden_size: units };
      if (opType === 'GRU') attributes.linear_before_reset = 1;
      const [y, yh] = c.op(opType, inputs, attributes, 2);
      if (c.params.output === 'sequence') {
        const squeezed = one(c.op('Squeeze', [y, c.constant('axis1', [1], [1], ONNX_INT64)]));
        return { out: one(c.op('Transpose', [squeezed], { perm: [1, 0, 2] })) };
      }
      return { out: one(c.op('Squeeze', [yh, c.constant('axis0', [1], [0], ONNX_INT64)])) };
    },
  };
}

function nary(opType: 'Add' | 'Concat'): OnnxRule {
  return {
    emit: (c) => {
      const xs = c.numberedInputs();
      if (opType === 'Concat') return { out: one(c.op('Concat', xs, { axis: num(c.params, 'axis') })) };
      return { out: xs.slice(1).reduce((sum, x) => one(c.op('Add', [sum, x])), xs[0]) };
    },
  };
}

const LOSS = { skip: 'a loss: training only, the model outputs its prediction input' } as const;

export const onnxRules: { readonly [T in LayerType]: OnnxRule } = {
  Input: { skip: 'becomes a graph input' },
  Output: { skip: 'becomes a graph output' },
  Dense: { emit: (c) => ({ out: linear(c, c.input('in'), c.weight('kernel'), c.hasWeight('bias') ? c.weight('bias') : undefined) }) },
  Flatten: unary('Flatten', { axis: 1 }),
  Reshape: { emit: (c) => ({ out: one(c.op('Reshape', [c.input('in'), c.constant('shape', [1 + ints(c.params, 'shape').length], [0, ...ints(c.params, 'shape')], ONNX_INT64)])) }) },
  Concat: nary('Concat'),
  Add: nary('Add'),
  Embedding: { emit: (c) => ({ out: one(c.op('Gather', [c.weight('table'), c.input('in')], { axis: 0 })) }) },
  Conv2D: {
    emit: (c) => {
      const [, , h, w] = c.shape('in') as number[];
      const kernel = ints(c.params, 'kernel');
      const stride = ints(c.params, 'stride');
      const dilation = ints(c.params, 'dilation');
      const p = convPads(c.params.padding as PadMode, ints(c.params, 'pads'), [h, w], kernel, stride, dilation);
      const inputs = [c.input('in'), c.weight('kernel'), ...(c.hasWeight('bias') ? [c.weight('bias')] : [])];
      // ONNX pads: [top, left, bottom, right]; ours [top, bottom, left, right]
      return { out: one(c.op('Conv', inputs, { kernel_shape: kernel, strides: stride, dilations: dilation, group: num(c.params, 'groups'), pads: [p[0], p[2], p[1], p[3]] })) };
    },
  },
  ConvTranspose2D: {
    emit: (c) => {
      const padding = ints(c.params, 'padding');
      const inputs = [c.input('in'), c.weight('kernel'), ...(c.hasWeight('bias') ? [c.weight('bias')] : [])];
      const attributes = {
        kernel_shape: ints(c.params, 'kernel'),
        strides: ints(c.params, 'stride'),
        dilations: ints(c.params, 'dilation'),
        group: num(c.params, 'groups'),
        pads: [padding[0], padding[1], padding[0], padding[1]],
        output_padding: ints(c.params, 'outputPadding'),
      };
      return { out: one(c.op('ConvTranspose', inputs, attributes)) };
    },
  },
  MaxPool2D: { emit: (c) => ({ out: one(c.op('MaxPool', [c.input('in')], poolAttributes(c.params))) }) },
  AvgPool2D: { emit: (c) => ({ out: one(c.op('AveragePool', [c.input('in')], { ...poolAttributes(c.params), count_include_pad: 1 })) }) },
  GlobalAvgPool: { emit: (c) => ({ out: one(c.op('Flatten', [one(c.op('GlobalAveragePool', [c.input('in')]))], { axis: 1 })) }) },
  LSTM: recurrent('LSTM', [0, 3, 1, 2]),
  GRU: recurrent('GRU', [1, 0, 2]),
  MultiHeadAttention: { emit: (c) => ({ out: selfAttention(c, c.input('in'), num(c.params, 'heads'), c.params.causal === true, c.params.bias !== false) }) },
  TransformerEncoderBlock: {
    emit: (c) => {
      const e = c.shape('in')[2] as number;
      const eps = num(c.params, 'epsilon');
      const heads = num(c.params, 'heads');
      const causal = c.params.causal === true;
      const ln = (x: string, k: 1 | 2): string => layerNorm(c, x, eps, e, c.weight(`norm${k}Gamma`), c.weight(`norm${k}Beta`));
      const ff = (x: string): string => {
        const hidden = linear(c, x, c.weight('ff1Kernel'), c.weight('ff1Bias'));
        const act = c.params.activation === 'gelu' ? gelu(c, hidden) : one(c.op('Relu', [hidden]));
        return linear(c, act, c.weight('ff2Kernel'), c.weight('ff2Bias'));
      };
      const x = c.input('in');
      if (c.params.norm === 'pre') {
        const h = one(c.op('Add', [x, selfAttention(c, ln(x, 1), heads, causal, true)]));
        return { out: one(c.op('Add', [h, ff(ln(h, 2))])) };
      }
      const h = ln(one(c.op('Add', [x, selfAttention(c, x, heads, causal, true)])), 1);
      return { out: ln(one(c.op('Add', [h, ff(h)])), 2) };
    },
  },
  PositionalEncoding: {
    emit: (c) => {
      const [, time, dim] = c.shape('in') as [string, number, number];
      const table =
        c.params.kind === 'learned'
          ? one(c.op('Slice', [c.weight('table'), c.constant('starts', [1], [0], ONNX_INT64), c.constant('ends', [1], [time], ONNX_INT64), c.constant('axes', [1], [0], ONNX_INT64)]))
          : c.constant('sinusoids', [time, dim], sinusoids(time, dim));
      return { out: one(c.op('Add', [c.input('in'), table])) };
    },
  },
  BatchNorm: {
    emit: (c) => {
      const channels = c.shape('in')[1] as number;
      const scale = c.hasWeight('gamma') ? c.weight('gamma') : c.constant('ones', [channels], new Float32Array(channels).fill(1));
      const shift = c.hasWeight('beta') ? c.weight('beta') : c.constant('zeros', [channels], new Float32Array(channels));
      const inputs = [c.input('in'), scale, shift, c.weight('runningMean'), c.weight('runningVar')];
      return { out: one(c.op('BatchNormalization', inputs, { epsilon: { float: num(c.params, 'epsilon') } })) };
    },
  },
  LayerNorm: {
    emit: (c) => {
      const width = c.shape('in').at(-1) as number;
      return { out: layerNorm(c, c.input('in'), num(c.params, 'epsilon'), width, c.hasWeight('gamma') ? c.weight('gamma') : undefined, c.hasWeight('beta') ? c.weight('beta') : undefined) };
    },
  },
  Dropout: unary('Identity'),
  ReLU: unary('Relu'),
  LeakyReLU: { emit: (c) => ({ out: one(c.op('LeakyRelu', [c.input('in')], { alpha: { float: num(c.params, 'negativeSlope') } })) }) },
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  GELU: { emit: (c) => ({ out: gelu(c, c.input('in')) }) },
  Softmax: { emit: (c) => ({ out: one(c.op('Softmax', [c.input('in')], { axis: num(c.params, 'axis') })) }) },
  MSELoss: LOSS,
  MAELoss: LOSS,
  HuberLoss: LOSS,
  CrossEntropyLoss: LOSS,
  BCEWithLogitsLoss: LOSS,
};

function poolAttributes(p: Params): Record<string, AttributeValue> {
  const padding = ints(p, 'padding');
  return { kernel_shape: ints(p, 'kernel'), strides: ints(p, 'stride'), pads: [padding[0], padding[1], padding[0], padding[1]] };
}
