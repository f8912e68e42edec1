/**
 * @file The CPU kernels, one function (or family) per primitive of the engine contract.
 *
 * Conventions for every kernel:
 *  - storage: `FloatArray` = Float32Array (f32 backend) | Float64Array (f64 oracle); i32 is
 *    Int32Array; bool is 0/1 in the float type. Movement kernels accept any of these (`AnyArray`).
 *  - shapes are `readonly number[]`, row-major; the caller sizes and passes `out`, which a kernel
 *    fully overwrites (it never allocates a tensor; scratch is module-level and only grows).
 *  - keepDims, reshape and dtype bookkeeping are the caller's: storage does not change with them.
 *
 * | prim                    | kernel                 | semantics (see each file for the math) |
 * |-------------------------|------------------------|----------------------------------------|
 * | neg … cos               | unary(op, x, out)      | out[i] = op(x[i]); erf to ≤ 1.5e-15 relative |
 * | add … min, lt … ne      | binary(op, a, aShape, b, bShape, out, outShape) | NumPy broadcast; compares write 1/0; max/min propagate NaN |
 * | where                   | where(c, cS, a, aS, b, bS, out, outS) | out = c ≠ 0 ? a : b, broadcast |
 * | cast                    | cast(x, out, dtype)    | i32: trunc toward 0 (wrap); bool: x ≠ 0 |
 * | sum, reduceMax          | reduce(Prim.Sum | Prim.ReduceMax, x, shape, axes, out) | out has reduced axes as 1; empty → 0 / −∞ |
 * | matmul                  | matmul(a, aS, transA, b, bS, transB, out) | batched, batch dims broadcast, ranks ≥ 2 |
 * | transpose               | transpose(x, shape, perm, out) | out axis d = x axis perm[d] |
 * | broadcast               | broadcast(x, shape, outShape, out) | NumPy rules |
 * | slice                   | slice(x, shape, starts, ends, steps, out) | [start, end) step ≥ 1, normalised |
 * | concat                  | concat(xs, shapes, axis, out) | |
 * | pad                     | pad(x, shape, pads, value, out) | pads [before, after] ≥ 0 |
 * | gather                  | gather(x, shape, indices, axis, out) | out = x.shape[:axis] ++ idx.shape ++ x.shape[axis+1:]; bad index throws |
 * | scatterAdd              | scatterAdd(updates, indices, axis, shape, out) | adjoint of gather, repeats add up |
 * | conv2d                  | conv2d(x, xS, w, wS, params, y) | NCHW cross-correlation, groups, dilation, pads [t,b,l,r] |
 * | conv2dBackwardInput     | conv2dBackwardInput(dy, w, wS, params, inputShape, dx) | ∂/∂x; also ConvTranspose2d forward |
 * | conv2dBackwardWeight    | conv2dBackwardWeight(x, xS, dy, params, weightShape, dw) | ∂/∂w summed over batch |
 * | maxPool2d(+Backward)    | maxPool2d(x, xS, p, y); maxPool2dBackward(x, xS, dy, p, dx) | first max wins (PyTorch) |
 * | avgPool2d(+Backward)    | avgPool2d(x, xS, p, y); avgPool2dBackward(dy, p, inputShape, dx) | ÷ KH·KW (count_include_pad) |
 * | random                  | random(dist, seed, stream, counter, out) | Philox4x32-10, see core/random |
 * | constant                | constant(value, dtype, out) | flat row-major literal or one value |
 * Also exported: `gemm` (2-D product with offsets, accumulate flag) and the shape helpers each
 * kernel's caller uses to size `out`.
 */
export { type FloatArray, type AnyArray, type Shape, sizeOf, stridesOf, broadcastShapes, broadcastStrides } from './shape';
export { unary, binary, binarySame, where, cast, sigmoid, elementwiseShape } from './elementwise';
export { erf } from './erf';
export { type ReduceOp, reduce, reducedShape } from './reduce';
export { gemm, matmul, matmulShape } from './matmul';
export { transpose, transposeShape, broadcast, slice, sliceShape, concat, pad, padShape } from './layout';
export { gather, gatherShape, scatterAdd } from './indexing';
export { conv2d, conv2dShape, conv2dBackwardInput, conv2dBackwardWeight } from './conv';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, pool2dShape } from './pool';
export { random, constant } from './fill';
