/**
 * @file Generated JavaScript loops for elementwise and reduction kernels on f32 (where WebAssembly
 * is not the bottleneck: these are memory-bound). The library kernels walk any broadcast with one
 * polymorphic row function per op; here each (op, broadcast pattern, sizes) gets its own
 * monomorphic loop, compiled once at prepare and cached by its source.
 *
 * Patterns: the output is viewed as [outer, inner] at a split s; each operand must be `full`
 * (same shape), `inner` (broadcast over the leading axes: x[j]), `outer` (broadcast over the
 * trailing axes: x[p]) or `scalar`. Reductions reduce either all trailing axes (out[p] = ⊕_j) or
 * all leading ones (out[j] = ⊕_p). Anything else returns undefined (the library kernel runs).
 * Math is in double and rounded on store, like the library (same results bit for bit for
 * + − × ÷ and compares; libm calls are the same functions).
 */
import { Prim, type ReducePrim } from '../../../ir/prims';
import type { Operand } from '../../../compile/fuse';
import type { Kernel } from '../../../compile/plan';
import { erf } from '../kernels/erf';
import { sigmoid } from '../kernels/elementwise';
import { sizeOf } from '../kernels/shape';
import type { F32Step } from './matmul';

const EXPR: Partial<Record<Prim, string>> = {
  [Prim.Neg]: '-a', [Prim.Recip]: '1 / a', [Prim.Exp]: 'Math.exp(a)', [Prim.Log]: 'Math.log(a)', [Prim.Sqrt]: 'Math.sqrt(a)',
  [Prim.Abs]: 'Math.abs(a)', [Prim.Sign]: '(Math.sign(a) + 0)', [Prim.Tanh]: 'Math.tanh(a)', [Prim.Sigmoid]: 'sig(a)',
  [Prim.Erf]: 'erf(a)', [Prim.Sin]: 'Math.sin(a)', [Prim.Cos]: 'Math.cos(a)',
  [Prim.Add]: 'a + b', [Prim.Sub]: 'a - b', [Prim.Mul]: 'a * b', [Prim.Div]: 'a / b', [Prim.Pow]: 'Math.pow(a, b)',
  [Prim.Max]: 'Math.max(a, b)', [Prim.Min]: 'Math.min(a, b)',
  [Prim.Lt]: '(a < b ? 1 : 0)', [Prim.Le]: '(a <= b ? 1 : 0)', [Prim.Gt]: '(a > b ? 1 : 0)', [Prim.Ge]: '(a >= b ? 1 : 0)',
  [Prim.Eq]: '(a === b ? 1 : 0)', [Prim.Ne]: '(a !== b ? 1 : 0)',
  // where(c, a, b): operands named c, a, b in that order
  [Prim.Where]: '(c !== 0 ? a : b)',
};

export type Access = 'full' | 'inner' | 'outer' | 'scalar';
type Loop = (x0: Float32Array, x1: Float32Array, x2: Float32Array, o: Float32Array) => void;

const cache = new Map<string, Loop>();

function compile(source: string): Loop {
  let f = cache.get(source);
  if (f === undefined) {
    f = new Function('sig', 'erf', source)(sigmoid, erf) as Loop;
    cache.set(source, f);
  }
  return f;
}

export function classify(shape: readonly number[], out: readonly number[], s: number): Access | undefined {
  const dims = [...new Array<number>(out.length - shape.length).fill(1), ...shape];
  if (sizeOf(dims) === 1) return 'scalar';
  if (dims.every((d, i) => d === out[i])) return 'full';
  const lead = dims.slice(0, s), tail = dims.slice(s);
  if (lead.every((d) => d === 1) && tail.every((d, i) => d === out[s + i])) return 'inner';
  if (tail.every((d) => d === 1) && lead.every((d, i) => d === out[i])) return 'outer';
  return undefined;
}

const NAMES = ['a', 'b'];

export function elementwiseStep(k: Kernel): F32Step | undefined {
  const expr = EXPR[k.prim];
  if (expr === undefined) return undefined;
  const out = k.output.shape;
  const names = k.prim === Prim.Where ? ['c', 'a', 'b'] : NAMES.slice(0, k.inputs.length);
  for (let s = 0; s <= out.length; s++) {
    const access = k.inputs.map((v) => classify(v.shape, out, s));
    if (access.some((a) => a === undefined)) continue;
    const outer = sizeOf(out.slice(0, s)), inner = sizeOf(out.slice(s));
    const hoisted: string[] = [], perOuter: string[] = [], perElement: string[] = [];
    access.forEach((a, i) => {
      const n = names[i];
      if (a === 'scalar') hoisted.push(`const ${n} = x${i}[0];`);
      else if (a === 'outer') perOuter.push(`const ${n} = x${i}[p];`);
      else if (a === 'inner') perElement.push(`const ${n} = x${i}[j];`);
      else perElement.push(`const ${n} = x${i}[i];`);
    });
    const source = `return function (x0, x1, x2, o) {
  ${hoisted.join(' ')}
  for (let p = 0, i = 0; p < ${outer}; p++) {
    ${perOuter.join(' ')}
    for (let j = 0; j < ${inner}; j++, i++) { ${perElement.join(' ')} o[i] = ${expr}; }
  }
};`;
    const loop = compile(source);
    return (x, o) => loop(x[0], x[1] ?? x[0], x[2] ?? x[0], o);
  }
  return undefined;
}

/**
 * How a sum / reduceMax reduces (size-1 axes ignored): all trailing axes of [outer, inner]
 * (out[p] = ⊕_j) or all leading ones (out[j] = ⊕_p); undefined for other axis sets.
 */
export function reduceSplit(k: Kernel & { prim: ReducePrim }): { outer: number; inner: number; trailing: boolean } | undefined {
  const shape = k.inputs[0].shape;
  const rank = shape.length;
  const axes = new Set(k.params.axes.map((a) => (a < 0 ? a + rank : a)).filter((a) => shape[a] !== 1));
  if (axes.size === 0) return undefined;
  for (let s = 0; s <= rank; s++) {
    const outer = sizeOf(shape.slice(0, s)), inner = sizeOf(shape.slice(s));
    const range = (lo: number, hi: number): boolean => [...axes].every((a) => a >= lo && a < hi) && shape.slice(lo, hi).every((d, i) => d === 1 || axes.has(lo + i));
    if (range(s, rank) && shape.slice(0, s).every((d, i) => d === 1 || !axes.has(i))) return { outer, inner, trailing: true };
    if (range(0, s) && shape.slice(s).every((d, i) => d === 1 || !axes.has(s + i))) return { outer, inner, trailing: false };
  }
  return undefined;
}

/** sum / reduceMax over all trailing or all leading axes (size-1 axes ignored). */
export function reduceStep(k: Kernel & { prim: ReducePrim }): F32Step | undefined {
  const split = reduceSplit(k);
  if (split === undefined) return undefined;
  const { outer, inner } = split;
  const sum = k.prim === Prim.Sum;
  const combine = sum ? 'm += v;' : 'if (v > m || v !== v) m = v;';
  const init = sum ? '0' : '-Infinity';
  const source = split.trailing
    ? `return function (x, _1, _2, o) {
  for (let p = 0, i = 0; p < ${outer}; p++) { let m = ${init}; for (let j = 0; j < ${inner}; j++, i++) { const v = x[i]; ${combine} } o[p] = m; }
};`
    : `return function (x, _1, _2, o) {
  for (let j = 0; j < ${inner}; j++) { let m = ${init}; for (let p = 0, i = j; p < ${outer}; p++, i += ${inner}) { const v = x[i]; ${combine} } o[j] = m; }
};`;
  const loop = compile(source);
  return ([x], o) => loop(x, x, x, o);
}

/**
 * One loop for a fused elementwise chain (core/compile/fuse.ts): leaves loaded once per element
 * (by their broadcast pattern), each step's expression on locals, one store of the last result.
 * Undefined when no single [outer, inner] split fits every leaf.
 */
export function fusedStep(kernels: readonly Kernel[], operands: readonly Operand[][], leafShapes: readonly (readonly number[])[]): ((leaves: readonly Float32Array[], out: Float32Array) => void) | undefined {
  const out = kernels[kernels.length - 1].output.shape;
  const exprs = kernels.map((k) => EXPR[k.prim]);
  if (exprs.some((e) => e === undefined)) return undefined;
  for (let s = 0; s <= out.length; s++) {
    const access = leafShapes.map((shape) => classify(shape, out, s));
    if (access.some((a) => a === undefined)) continue;
    const outer = sizeOf(out.slice(0, s)), inner = sizeOf(out.slice(s));
    const hoisted: string[] = [], perOuter: string[] = [], perElement: string[] = [];
    access.forEach((a, i) => {
      if (a === 'scalar') hoisted.push(`const l${i} = x[${i}][0];`);
      else if (a === 'outer') perOuter.push(`const l${i} = L${i}[p];`);
      else perElement.push(`const l${i} = L${i}[${a === 'inner' ? 'j' : 'i'}];`);
    });
    const body = kernels.map((k, t) => {
      const names = k.prim === Prim.Where ? ['c', 'a', 'b'] : NAMES;
      const ref = (o: Operand): string => ('leaf' in o ? `l${o.leaf}` : `v${o.node}`);
      const expr = (exprs[t] as string).replace(/\b[abc]\b/g, (id) => ref(operands[t][names.indexOf(id)]));
      return `const v${t} = ${expr};`;
    });
    const arrays = leafShapes.map((_, i) => `const L${i} = x[${i}];`).join(' ');
    const source = `return function (x, o) {
  ${arrays} ${hoisted.join(' ')}
  for (let p = 0, i = 0; p < ${outer}; p++) {
    ${perOuter.join(' ')}
    for (let j = 0; j < ${inner}; j++, i++) { ${perElement.join(' ')} ${body.join(' ')} o[i] = v${kernels.length - 1}; }
  }
};`;
    let f = fusedCache.get(source);
    if (f === undefined) {
      f = new Function('sig', 'erf', source)(sigmoid, erf) as (x: readonly Float32Array[], o: Float32Array) => void;
      fusedCache.set(source, f);
    }
    return f;
  }
  return undefined;
}

const fusedCache = new Map<string, (x: readonly Float32Array[], o: Float32Array) => void>();

/** out = other + pad(g, pads, 0) without the padded tensor: copy other (unless in place), add g into its window. */
export function padAddStep(gShape: readonly number[], pads: readonly (readonly [number, number])[], outShape: readonly number[]): (other: Float32Array, g: Float32Array, out: Float32Array) => void {
  const rank = outShape.length;
  const row = rank === 0 ? 1 : gShape[rank - 1];
  const rows = row === 0 ? 0 : sizeOf(gShape) / row;
  const os: number[] = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) os[d] = os[d + 1] * outShape[d + 1];
  const bases = new Int32Array(rows);
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let r = 0; r < rows; r++) {
    let b = rank === 0 ? 0 : pads[rank - 1][0];
    for (let d = 0; d < rank - 1; d++) b += (index[d] + pads[d][0]) * os[d];
    bases[r] = b;
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < gShape[d]) break;
      index[d] = 0;
    }
  }
  return (other, g, out) => {
    if (out.buffer !== other.buffer || out.byteOffset !== other.byteOffset) out.set(other);
    for (let r = 0, k = 0; r < rows; r++) {
      for (let j = 0, o = bases[r]; j < row; j++, k++, o++) out[o] += g[k];
    }
  };
}
