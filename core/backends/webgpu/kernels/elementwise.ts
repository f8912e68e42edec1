/**
 * @file Elementwise programs: unary maps, broadcasting binary ops and comparisons, `where`, `cast`.
 * One thread per output element. Same-size operands index directly; otherwise the output index
 * is unfolded over the output shape and each operand reads through its broadcast strides
 * (0 on stretched axes), all from the metadata: [total, rank, outShape…, strides of operand 0…, …].
 *
 * f32 semantics chosen to match the CPU oracle within f32 rounding:
 *  - tanh and sigmoid are evaluated from e^{-|x|} so they never overflow (WGSL tanh may for |x| > 44);
 *  - erf: Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5·10⁻⁷), and below |x| = 0.25, where that
 *    fit's relative error grows, the Maclaurin series to x⁷ (truncation < 3·10⁻⁸);
 *  - sin/cos by our own range reduction (./program.ts SINCOS), not the loosely specified builtins;
 *  - max/min propagate NaN and sign(±0) = 0, like the CPU kernels;
 *  - pow(a, b) for a < 0 is defined for integral b (sign from b's parity), NaN otherwise.
 */
import { type BinaryPrim, type ComparePrim, type Dtype, Prim, type UnaryPrim } from '../../../ir/prims';
import { type GpuProgram, SINCOS, type StepIo, declareIo, declareMeta, entry, groupsFor, loadF32, sizeOfShape, strides } from '../program';

export const unaryExpr: { [P in UnaryPrim]: (x: string) => string } = {
  [Prim.Neg]: (x) => `-${x}`,
  [Prim.Recip]: (x) => `1.0 / ${x}`,
  [Prim.Exp]: (x) => `exp(${x})`,
  [Prim.Log]: (x) => `log(${x})`,
  [Prim.Sqrt]: (x) => `sqrt(${x})`,
  [Prim.Abs]: (x) => `abs(${x})`,
  [Prim.Sign]: (x) => `sign_(${x})`,
  [Prim.Tanh]: (x) => `tanh_(${x})`,
  [Prim.Sigmoid]: (x) => `sigmoid_(${x})`,
  [Prim.Erf]: (x) => `erf_(${x})`,
  [Prim.Sin]: (x) => `sincos_(${x}).x`,
  [Prim.Cos]: (x) => `sincos_(${x}).y`,
};

export const binaryExpr: { [P in BinaryPrim | ComparePrim]: (a: string, b: string) => string } = {
  [Prim.Add]: (a, b) => `${a} + ${b}`,
  [Prim.Sub]: (a, b) => `${a} - ${b}`,
  [Prim.Mul]: (a, b) => `${a} * ${b}`,
  [Prim.Div]: (a, b) => `${a} / ${b}`,
  [Prim.Pow]: (a, b) => `pow_(${a}, ${b})`,
  [Prim.Max]: (a, b) => `max_(${a}, ${b})`,
  [Prim.Min]: (a, b) => `min_(${a}, ${b})`,
  [Prim.Lt]: (a, b) => `select(0.0, 1.0, ${a} < ${b})`,
  [Prim.Le]: (a, b) => `select(0.0, 1.0, ${a} <= ${b})`,
  [Prim.Gt]: (a, b) => `select(0.0, 1.0, ${a} > ${b})`,
  [Prim.Ge]: (a, b) => `select(0.0, 1.0, ${a} >= ${b})`,
  [Prim.Eq]: (a, b) => `select(0.0, 1.0, ${a} == ${b})`,
  [Prim.Ne]: (a, b) => `select(0.0, 1.0, ${a} != ${b})`,
};

/** Helper functions; WGSL has no NaN test that survives fast-math, so NaN is x != x on the bits. */
export const HELPERS = `
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn sign_(x: f32) -> f32 { if (isnan_(x)) { return x; } return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0); }
fn tanh_(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); let t = (1.0 - e) / (1.0 + e); return select(t, -t, x < 0.0); }
fn sigmoid_(x: f32) -> f32 { let e = exp(-abs(x)); return select(1.0 / (1.0 + e), e / (1.0 + e), x < 0.0); }
fn erf_(x: f32) -> f32 {
  // A&S 7.1.26: erf|x| = 1 − (Σ aₖ tᵏ) e^{−x²}, t = 1/(1 + p|x|)
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-ax * ax);
  let small = x * (1.1283791670955126 + x * x * (-0.37612638903183754 + x * x * (0.11283791670955126 + x * x * -0.026866170645131252)));
  return select(select(y, -y, x < 0.0), small, ax < 0.25);
}
fn pow_(a: f32, b: f32) -> f32 {
  if (a >= 0.0 || isnan_(a)) { return pow(a, b); }
  if (floor(b) != b) { return bitcast<f32>(0x7fc00000u + u32(m(0)) * 0u); }
  let p = pow(-a, b);
  return select(p, -p, (abs(b) % 2.0) == 1.0);
}
fn max_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return max(a, b); }
fn min_(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return min(a, b); }
`;

/**
 * The shared skeleton: `expr(loads)` is the f32 value of output element `gid`, `loads[k]` the f32
 * read of operand k at its broadcast offset.
 */
function elementwise(name: string, io: StepIo, shapes: readonly (readonly number[])[], outShape: readonly number[], expr: (loads: string[]) => string, store: (v: string) => string): GpuProgram {
  const { decls, names, buffers } = declareIo(io);
  const total = sizeOfShape(outShape);
  const flat = shapes.every((s) => sizeOfShape(s) === total || sizeOfShape(s) === 1);
  const rank = outShape.length;
  let meta: number[];
  let index: string;
  let offsets: string[];
  if (flat) {
    // same-size or scalar operands: no unfolding
    meta = [total];
    index = '';
    offsets = shapes.map((s) => (sizeOfShape(s) === 1 && total !== 1 ? '0' : 'gid'));
  } else {
    meta = [total, rank, ...outShape];
    for (const s of shapes) {
      const own = strides(s);
      const lead = rank - s.length;
      meta.push(...outShape.map((_, d) => (d < lead || s[d - lead] === 1 ? 0 : own[d - lead])));
    }
    const offs = shapes.map((_, k) => `o${k}`);
    index = `  var rest = gid;
  ${offs.map((o) => `var ${o} = 0;`).join(' ')}
  for (var d = ${rank - 1}; d >= 0; d--) {
    let dim = m(2 + d);
    let c = rest % dim;
    rest = rest / dim;
${offs.map((o, k) => `    ${o} += c * m(${2 + rank * (k + 1)} + d);`).join('\n')}
  }`;
    offsets = offs;
  }
  const loads = io.inputs.map((inp, k) => loadF32(names[k], inp.storage, offsets[k]));
  const body = `  if (gid >= m(0)) { return; }
${index}
  let v = ${expr(loads)};
  out[gid] = ${store('v')};`;
  return {
    name,
    source: `${declareMeta(meta.length)}\n${decls}\n${HELPERS}\n${SINCOS}\n${entry(body)}`,
    buffers,
    meta,
    workgroups: groupsFor(total),
  };
}

const storeFloat = (v: string): string => v;

export function unaryProgram(op: UnaryPrim, io: StepIo, shape: readonly number[]): GpuProgram {
  return elementwise(op, io, [shape], shape, ([x]) => unaryExpr[op](x), storeFloat);
}

export function binaryProgram(op: BinaryPrim | ComparePrim, io: StepIo, a: readonly number[], b: readonly number[], out: readonly number[]): GpuProgram {
  return elementwise(op, io, [a, b], out, ([x, y]) => binaryExpr[op](x, y), storeFloat);
}

/** out = cond ≠ 0 ? a : b (NaN counts as true, like the CPU). */
export function whereProgram(io: StepIo, c: readonly number[], a: readonly number[], b: readonly number[], out: readonly number[]): GpuProgram {
  return elementwise('where', io, [c, a, b], out, ([x, y, z]) => `select(${z}, ${y}, ${x} != 0.0 || isnan_(${x}))`, storeFloat);
}

/** → f32: the value; → i32: truncation toward zero (NaN → 0); → bool: x ≠ 0 (NaN true). */
export function castProgram(io: StepIo, dtype: Dtype, shape: readonly number[]): GpuProgram {
  if (io.inputs[0].storage === 'int' && dtype !== 'i32') {
    // read the integer exactly, convert once
    const expr = dtype === 'bool' ? ([x]: string[]) => `select(0.0, 1.0, ${x} != 0.0)` : ([x]: string[]) => x;
    return elementwise(`cast ${dtype}`, io, [shape], shape, expr, storeFloat);
  }
  switch (dtype) {
    case 'f32':
      return elementwise('cast f32', io, [shape], shape, ([x]) => x, storeFloat);
    case 'bool':
      return elementwise('cast bool', io, [shape], shape, ([x]) => `select(0.0, 1.0, ${x} != 0.0 || isnan_(${x}))`, storeFloat);
    case 'i32':
      return elementwise('cast i32', io, [shape], shape, ([x]) => x, (v) => (io.output.storage === 'int' ? `select(i32(trunc(${v})), 0, isnan_(${v}))` : `trunc(${v})`));
    default:
      return dtype satisfies never;
  }
}
