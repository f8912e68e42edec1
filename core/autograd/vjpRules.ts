/**
 * @file Reverse-mode rules, one per primitive (`{ [P in Prim]: VjpRule<P> }`, exhaustive by the
 * type checker). A rule maps the cotangent of a node's output to one cotangent per input, written
 * with the Tensor API; `null` means "no gradient flows" (integer/bool inputs, piecewise-constant
 * prims, sources). Broadcast inputs get their cotangent summed back to their own shape.
 */
import { Prim, type PrimParams } from '../ir/prims';
import { Tensor, primOp } from '../tensor/tensor';

export interface VjpArgs<P extends Prim> {
  inputs: Tensor[];
  out: Tensor;
  /** cotangent of `out`, same shape */
  g: Tensor;
  params: PrimParams[P];
}

export type VjpRule<P extends Prim> = (a: VjpArgs<P>) => (Tensor | null)[];

/** Sums g over the axes that broadcasting stretched, back to `shape`. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length === 0 ? g : g.sum(axes, true);
  return summed.reshape(shape);
}

const none = <P extends Prim>({ inputs }: VjpArgs<P>): null[] => inputs.map(() => null);

/** g scaled by a derivative f'(x) of a unary prim, broadcast-safe. */
const unary = <P extends Prim>(deriv: (x: Tensor, y: Tensor) => Tensor): VjpRule<P> =>
  ({ inputs: [x], out, g }) => [g.mul(deriv(x, out))];

/** Fraction of the gradient that goes to `a` for max/min: 1 where a wins, 1/2 on ties. */
function share(wins: Tensor, ties: Tensor): Tensor {
  return wins.cast('f32').add(ties.cast('f32').mul(0.5));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Keeps the reduced axes as size 1 so the cotangent broadcasts back over them. */
function keepDimsShape(inShape: readonly number[], axes: readonly number[]): number[] {
  return inShape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Adjoint of a strided slice along one axis: zeros interleaved (step s), then zero-padded to dim. */
function unslice(g: Tensor, axis: number, start: number, end: number, step: number, dim: number): Tensor {
  let t = g;
  if (step > 1) {
    const m = t.shape[axis];
    const pre = t.shape.slice(0, axis);
    const post = t.shape.slice(axis + 1);
    // [.., m, 1, ..] -> pad to [.., m, s, ..] -> [.., m*s, ..], element k lands at k*s
    t = t.reshape([...pre, m, 1, ...post]);
    t = t.pad(t.shape.map((_, i) => (i === axis + 1 ? [0, step - 1] : [0, 0])));
    t = t.reshape([...pre, m * step, ...post]);
    t = t.slice(t.shape.map((_, i) => 0), t.shape.map((d, i) => (i === axis ? end - start : d)));
  }
  const before = start;
  const after = dim - start - t.shape[axis];
  if (before === 0 && after === 0) return t;
  return t.pad(t.shape.map((_, i) => (i === axis ? [before, after] : [0, 0])));
}

export const vjpRules: { [P in Prim]: VjpRule<P> } = {
  // d(-x) = -dx
  [Prim.Neg]: ({ g }) => [g.neg()],
  // d(1/x) = -x^-2 dx = -y^2 dx
  [Prim.Recip]: unary((_, y) => y.square().neg()),
  // d e^x = e^x dx
  [Prim.Exp]: unary((_, y) => y),
  // d log x = dx / x
  [Prim.Log]: ({ inputs: [x], g }) => [g.div(x)],
  // d sqrt(x) = dx / (2 sqrt(x))
  [Prim.Sqrt]: ({ out, g }) => [g.div(out.mul(2))],
  // d|x| = sign(x) dx
  [Prim.Abs]: unary((x) => x.sign()),
  // sign is piecewise constant: zero gradient
  [Prim.Sign]: none,
  // d tanh x = (1 - tanh^2 x) dx
  [Prim.Tanh]: unary((_, y) => y.square().neg().add(1)),
  // d sigma(x) = sigma (1 - sigma) dx
  [Prim.Sigmoid]: unary((_, y) => y.mul(y.neg().add(1))),
  // d erf x = 2/sqrt(pi) e^{-x^2} dx
  [Prim.Erf]: unary((x) => x.square().neg().exp().mul(TWO_OVER_SQRT_PI)),
  [Prim.Sin]: unary((x) => x.cos()),
  [Prim.Cos]: unary((x) => x.sin().neg()),

  [Prim.Add]: ({ inputs: [a, b], g }) => [unbroadcast(g, a.shape), unbroadcast(g, b.shape)],
  [Prim.Sub]: ({ inputs: [a, b], g }) => [unbroadcast(g, a.shape), unbroadcast(g.neg(), b.shape)],
  [Prim.Mul]: ({ inputs: [a, b], g }) => [unbroadcast(g.mul(b), a.shape), unbroadcast(g.mul(a), b.shape)],
  // d(a/b) = da/b - a/b^2 db = da/b - y/b db
  [Prim.Div]: ({ inputs: [a, b], out, g }) => {
    const ga = g.div(b);
    return [unbroadcast(ga, a.shape), unbroadcast(ga.mul(out).neg(), b.shape)];
  },
  // d a^b = b a^(b-1) da + a^b log(a) db   (log taken as 0 where a <= 0)
  [Prim.Pow]: ({ inputs: [a, b], out, g }) => {
    const da = g.mul(b).mul(a.pow(b.sub(1)));
    const logA = a.gt(0).where(a.maximum(Number.MIN_VALUE).log(), 0);
    return [unbroadcast(da, a.shape), unbroadcast(g.mul(out).mul(logA), b.shape)];
  },
  // the larger operand takes the gradient; ties split it evenly
  [Prim.Max]: ({ inputs: [a, b], g }) => {
    const sa = share(a.gt(b), a.eq(b));
    return [unbroadcast(g.mul(sa), a.shape), unbroadcast(g.mul(sa.neg().add(1)), b.shape)];
  },
  [Prim.Min]: ({ inputs: [a, b], g }) => {
    const sa = share(a.lt(b), a.eq(b));
    return [unbroadcast(g.mul(sa), a.shape), unbroadcast(g.mul(sa.neg().add(1)), b.shape)];
  },
  [Prim.Lt]: none,
  [Prim.Le]: none,
  [Prim.Gt]: none,
  [Prim.Ge]: none,
  [Prim.Eq]: none,
  [Prim.Ne]: none,
  // where(c, a, b): a gets g where c, b gets g elsewhere; c is not differentiable
  [Prim.Where]: ({ inputs: [c, a, b], g }) => [
    null,
    unbroadcast(c.where(g, 0), a.shape),
    unbroadcast(c.where(0, g), b.shape),
  ],
  // only float -> float casts carry a gradient
  [Prim.Cast]: ({ inputs: [x], out, g }) => [x.dtype === 'f32' && out.dtype === 'f32' ? g : null],

  // d sum = broadcast of g back over the reduced axes
  [Prim.Sum]: ({ inputs: [x], g, params }) => [g.reshape(keepDimsShape(x.shape, params.axes)).broadcastTo(x.shape)],
  // the maxima take the gradient, split evenly between ties
  [Prim.ReduceMax]: ({ inputs: [x], out, g, params }) => {
    const keep = keepDimsShape(x.shape, params.axes);
    const mask = x.eq(out.reshape(keep)).cast('f32');
    const count = mask.sum(params.axes, true);
    return [mask.mul(g.reshape(keep).div(count))];
  },
  // C = op(A) op(B): dA, dB as products of G with the other operand; no materialised transposes
  [Prim.MatMul]: ({ inputs: [a, b], g, params: { transA, transB } }) => {
    const da = transA
      ? b.matmul(g, { transA: transB, transB: true }) // A^T B: dA = B G^T;  A^T B^T: dA = B^T G^T
      : g.matmul(b, { transB: !transB }); //            A B:   dA = G B^T;  A B^T:   dA = G B
    const db = transB
      ? g.matmul(a, { transA: true, transB: transA }) // A B^T: dB = G^T A;  A^T B^T: dB = G^T A^T
      : a.matmul(g, { transA: !transA }); //            A B:   dB = A^T G;  A^T B:   dB = A G
    return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
  },

  [Prim.Reshape]: ({ inputs: [x], g }) => [g.reshape(x.shape)],
  // inverse permutation: inv[perm[i]] = i
  [Prim.Transpose]: ({ g, params }) => {
    const inv: number[] = [];
    params.perm.forEach((p, i) => { inv[p] = i; });
    return [g.transpose(inv)];
  },
  [Prim.Broadcast]: ({ inputs: [x], g }) => [unbroadcast(g, x.shape)],
  [Prim.Slice]: ({ inputs: [x], g, params }) => {
    let t = g;
    x.shape.forEach((d, i) => { t = unslice(t, i, params.starts[i], params.ends[i], params.steps[i], d); });
    return [t];
  },
  [Prim.Concat]: ({ inputs, g, params: { axis } }) => {
    let offset = 0;
    return inputs.map((x) => {
      const starts = x.shape.map((_, i) => (i === axis ? offset : 0));
      const ends = x.shape.map((d, i) => (i === axis ? offset + d : g.shape[i]));
      offset += x.shape[axis];
      return g.slice(starts, ends);
    });
  },
  [Prim.Pad]: ({ inputs: [x], g, params }) => [
    g.slice(params.pads.map(([b]) => b), params.pads.map(([b], i) => b + x.shape[i])),
  ],
  // gather and scatterAdd are each other's adjoints
  [Prim.Gather]: ({ inputs: [x, idx], g, params: { axis } }) => [
    primOp(Prim.ScatterAdd, [g, idx], { axis, shape: [...x.shape] }),
    null,
  ],
  [Prim.ScatterAdd]: ({ inputs: [, idx], g, params: { axis } }) => [g.gather(idx, axis), null],

  // y = conv(x, w): dx = convBackwardInput(g, w), dw = convBackwardWeight(x, g)
  [Prim.Conv2d]: ({ inputs: [x, w], g, params }) => [
    primOp(Prim.Conv2dBackwardInput, [g, w], { ...params, inputShape: [...x.shape] }),
    primOp(Prim.Conv2dBackwardWeight, [x, g], { ...params, weightShape: [...w.shape] }),
  ],
  // y = J_w^T dy is bilinear: <G, J_w^T dy> = <conv(G, w), dy>, so d(dy) = conv(G, w), dw = convBackwardWeight(G, dy)
  [Prim.Conv2dBackwardInput]: ({ inputs: [dy, w], g, params }) => {
    const { inputShape, ...conv } = params;
    return [
      primOp(Prim.Conv2d, [g, w], conv),
      primOp(Prim.Conv2dBackwardWeight, [g, dy], { ...conv, weightShape: [...w.shape] }),
    ];
  },
  // <G, convBackwardWeight(x, dy)> = <conv(x, G), dy>: d(dy) = conv(x, G), dx = convBackwardInput(dy, G)
  [Prim.Conv2dBackwardWeight]: ({ inputs: [x, dy], g, params }) => {
    const { weightShape, ...conv } = params;
    return [
      primOp(Prim.Conv2dBackwardInput, [dy, g], { ...conv, inputShape: [...x.shape] }),
      primOp(Prim.Conv2d, [x, g], conv),
    ];
  },
  [Prim.MaxPool2d]: ({ inputs: [x], g, params }) => [
    primOp(Prim.MaxPool2dBackward, [x, g], { ...params, inputShape: [...x.shape] }),
  ],
  [Prim.AvgPool2d]: ({ inputs: [x], g, params }) => [
    primOp(Prim.AvgPool2dBackward, [g], { ...params, inputShape: [...x.shape] }),
  ],
  // Second order through max pooling (routing g back through the argmax) has no primitive: not differentiated.
  [Prim.MaxPool2dBackward]: none,
  // avgPool2dBackward is the transpose of the linear map avgPool2d: its adjoint is avgPool2d
  [Prim.AvgPool2dBackward]: ({ g, params }) => {
    const { inputShape, ...pool } = params;
    return [primOp(Prim.AvgPool2d, [g], pool)];
  },
  [Prim.Random]: none,
  [Prim.Constant]: () => [],
};

