/**
 * @file 2-D max/avg pooling (NCHW) and their gradients; semantics as ../../cpu/kernels/pool.ts
 * (first maximum wins ties, NaN wins when met, avg divides by the full window).
 * Forward: one thread per output. Backward: one thread per input element, summing over the
 * windows that contain it in ascending window order (a gather, no atomics: deterministic); for
 * max, a window contributes when its recomputed argmax is this element.
 * Metadata: [total, H, W, OH, OW, KH, KW, sh, sw, pt, pl].
 */
import type { PoolParams } from '../../../ir/prims';
import { type GpuProgram, type StepIo, declareIo, declareMeta, entry, groupsFor } from '../program';

const HELPERS = `fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// flat index in x of the first maximum of window (i, j) of plane base, −1 when all padding
fn argmaxWindow(base: i32, i: i32, j: i32) -> i32 {
  let ys = i * m(7) - m(9); let xs = j * m(8) - m(10);
  var best = -1;
  var mx = 0.0;
  for (var y = max(ys, 0); y < min(ys + m(5), m(1)); y++) {
    for (var x = max(xs, 0); x < min(xs + m(6), m(2)); x++) {
      let v = X[base + y * m(2) + x];
      if (best < 0 || v > mx || isnan_(v)) {
        best = base + y * m(2) + x;
        mx = v;
        if (isnan_(v)) { return best; }
      }
    }
  }
  return best;
}`;

function words(inputShape: readonly number[], outShape: readonly number[], p: PoolParams, total: number): number[] {
  return [total, inputShape[2], inputShape[3], outShape[2], outShape[3], p.kernel[0], p.kernel[1], p.stride[0], p.stride[1], p.padding[0], p.padding[2]];
}

/** `X[` reads input 0, `DY[` the last input; the argmax helper is included for max pooling. */
function program(name: string, io: StepIo, meta: number[], argmax: boolean, body: string): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const subst = (t: string): string => t.replaceAll('DY[', `${names[names.length - 1]}[`).replaceAll('X[', `${names[0]}[`);
  const source = `${declareMeta(meta.length)}\n${decls}\n${argmax ? subst(HELPERS) : ''}\n${entry(subst(body))}`;
  return { name, source, buffers, meta, workgroups: groupsFor(meta[0]) };
}

export function maxPoolProgram(io: StepIo, xShape: readonly number[], outShape: readonly number[], p: PoolParams, total: number): GpuProgram {
  return program('maxPool2d', io, words(xShape, outShape, p, total), true, `  if (gid >= m(0)) { return; }
  let j = gid % m(4); let i = (gid / m(4)) % m(3); let plane = gid / (m(4) * m(3));
  let at = argmaxWindow(plane * m(1) * m(2), i, j);
  var v = bitcast<f32>(0xff800000u + u32(m(0)) * 0u);
  if (at >= 0) { v = X[at]; }
  out[gid] = v;`);
}

export function avgPoolProgram(io: StepIo, xShape: readonly number[], outShape: readonly number[], p: PoolParams, total: number): GpuProgram {
  return program('avgPool2d', io, words(xShape, outShape, p, total), false, `  if (gid >= m(0)) { return; }
  let j = gid % m(4); let i = (gid / m(4)) % m(3); let base = (gid / (m(4) * m(3))) * m(1) * m(2);
  let ys = i * m(7) - m(9); let xs = j * m(8) - m(10);
  var acc = 0.0;
  for (var y = max(ys, 0); y < min(ys + m(5), m(1)); y++) {
    for (var x = max(xs, 0); x < min(xs + m(6), m(2)); x++) { acc += X[base + y * m(2) + x]; }
  }
  out[gid] = acc / f32(m(5) * m(6));`);
}

/** Loops the windows (i, j) containing input element gid; `contribution` uses i, j, base, o. */
function backward(contribution: string): string {
  return `  if (gid >= m(0)) { return; }
  let x = gid % m(2); let y = (gid / m(2)) % m(1); let plane = gid / (m(2) * m(1));
  let base = plane * m(1) * m(2);
  var acc = 0.0;
  for (var i = 0; i < m(3); i++) {
    let ys = i * m(7) - m(9);
    if (y < ys || y >= ys + m(5)) { continue; }
    for (var j = 0; j < m(4); j++) {
      let xs = j * m(8) - m(10);
      if (x < xs || x >= xs + m(6)) { continue; }
      let o = (plane * m(3) + i) * m(4) + j;
${contribution}
    }
  }
  out[gid] = acc;`;
}

export function maxPoolBackwardProgram(io: StepIo, xShape: readonly number[], dyShape: readonly number[], p: PoolParams, total: number): GpuProgram {
  return program('maxPool2dBackward', io, words(xShape, dyShape, p, total), true,
    backward('      if (argmaxWindow(base, i, j) == gid) { acc += DY[o]; }'));
}

export function avgPoolBackwardProgram(io: StepIo, inputShape: readonly number[], dyShape: readonly number[], p: PoolParams, total: number): GpuProgram {
  return program('avgPool2dBackward', io, words(inputShape, dyShape, p, total), false,
    backward('      acc += DY[o] / f32(m(5) * m(6));'));
}
