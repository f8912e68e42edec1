/**
 * @file Movement as one affine copy: transpose, broadcast, slice, pad and each part of a concat.
 *
 * Over an iteration shape S (rank r), element c = (c₀ … c_{r−1}) reads source coordinates
 * s_d = start_d + c_d·step_d, valid when 0 ≤ s_d < srcDim_d for every d (else the pad value),
 * at Σ s_d·srcStride_d, and writes out[dstBase + Σ c_d·dstStride_d]. Then:
 *   transpose  S = out, srcStride_d = xStride[perm d]
 *   broadcast  S = out, srcStride_d = 0 on stretched axes
 *   slice      start/step from the params          pad  start = −before
 *   concat     one copy per input: S = input, dstBase = offset along the axis · outStride[axis]
 * Metadata: [total, rank, dstBase, padBits, S…, srcStride…, start…, step…, srcDim…, dstStride…].
 * The element type is the output's storage (movement never converts).
 */
import { type GpuProgram, type StepIo, declareIo, declareMeta, entry, f32Bits, groupsFor, sizeOfShape, wgslType } from '../program';

export interface AffineCopy {
  shape: readonly number[];
  srcStride: readonly number[];
  start: readonly number[];
  step: readonly number[];
  srcDim: readonly number[];
  dstStride: readonly number[];
  dstBase: number;
  pad: number;
}

export function affineProgram(name: string, io: StepIo, input: number, copy: AffineCopy): GpuProgram {
  const { decls, names, buffers } = declareIo(io, [input]);
  const r = copy.shape.length;
  const total = sizeOfShape(copy.shape);
  const int = io.output.storage === 'int';
  const meta = [total, r, copy.dstBase, int ? Math.trunc(copy.pad) | 0 : f32Bits(copy.pad), ...copy.shape, ...copy.srcStride, ...copy.start, ...copy.step, ...copy.srcDim, ...copy.dstStride];
  const field = (k: number): string => `m(${4 + k * r} + d)`;
  const body = `  if (gid >= m(0)) { return; }
  var rest = gid;
  var src = 0;
  var dst = m(2);
  var ok = true;
  for (var d = ${r - 1}; d >= 0; d--) {
    let c = rest % ${field(0)};
    rest = rest / ${field(0)};
    let s = ${field(2)} + c * ${field(3)};
    ok = ok && s >= 0 && s < ${field(4)};
    src += s * ${field(1)};
    dst += c * ${field(5)};
  }
  var v = ${int ? 'm(3)' : 'bitcast<f32>(m(3))'};
  if (ok) { v = ${names[input]}[src]; }
  out[dst] = v;`;
  if (wgslType(io.inputs[input].storage) !== wgslType(io.output.storage)) throw new Error(`webgpu: ${name} between storage classes`);
  return { name, source: `${declareMeta(meta.length)}\n${decls}\n${entry(body)}`, buffers, meta, workgroups: groupsFor(total) };
}
