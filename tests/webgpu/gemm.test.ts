/**
 * @file The GEMM variants on WebGPU (Dawn, Mesa GLES) against the float64 CPU: each tile shape
 * (large 4×4 and 8×8 threads, small-M, medium) with vec4 loads along each operand axis and the
 * scalar fallback, over every transpose and a broadcast batch. Shapes are picked so each variant
 * is selected (asserted on the program name). Tolerance rtol 1e-4, atol 1e-5 (K ≤ 72).
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { matmulProgram, pickTile } from '../../core/backends/webgpu/kernels/gemm';
import { WebGpuBackend } from '../../core/backends/webgpu/webgpuBackend';
import { compile } from '../../core/compile';
import { Tracer } from '../../core/tensor';
import { generate, rng } from '../engine/support';
import { expectClose, F32, nodeGpu } from './support';

interface Shape {
  a: number[];
  b: number[];
  transA: boolean;
  transB: boolean;
  /** expected tile and vec axes in the program name */
  name: string;
}

const io = { inputs: [{ buffer: 1, storage: 'float' as const }, { buffer: 2, storage: 'float' as const }], output: { buffer: 0, storage: 'float' as const } };

function product(s: Shape): { m: number; n: number; out: number[] } {
  const m = s.transA ? s.a[s.a.length - 1] : s.a[s.a.length - 2];
  const n = s.transB ? s.b[s.b.length - 2] : s.b[s.b.length - 1];
  const batch = s.a.length > s.b.length ? s.a.slice(0, -2) : s.b.slice(0, -2);
  return { m, n, out: [...batch, m, n] };
}

const SHAPES: Shape[] = [
  { a: [64, 72], b: [72, 68], transA: false, transB: false, name: 'matmul large vecA:p vecB:j' },
  { a: [72, 64], b: [68, 72], transA: true, transB: true, name: 'matmul large vecA:i vecB:p' },
  { a: [65, 33], b: [33, 67], transA: false, transB: false, name: 'matmul large' },
  { a: [3, 8, 20], b: [20, 100], transA: false, transB: false, name: 'matmul small-m vecA:p vecB:j' },
  { a: [2, 24, 5], b: [2, 70, 24], transA: true, transB: true, name: 'matmul small-m vecB:p' },
  { a: [2, 1, 40, 12], b: [3, 40, 20], transA: true, transB: false, name: 'matmul medium vecA:i vecB:j' },
  { a: [17, 9], b: [9, 30], transA: false, transB: false, name: 'matmul medium' },
  { a: [6, 33], b: [33, 5], transA: false, transB: false, name: 'matmul medium' },
];

test('tiles by shape', () => {
  expect(pickTile(64, 64).name).toBe('large');
  expect(pickTile(64, 64, 128).name).toBe('large-8x8');
  expect(pickTile(8, 512).name).toBe('small-m');
  expect(pickTile(8, 16).name).toBe('medium');
  expect(pickTile(40, 512).name).toBe('medium');
});

test.each(SHAPES)('$name: $a × $b (transA $transA, transB $transB) ~ f64 CPU', async (s) => {
  const { m, n, out } = product(s);
  expect(matmulProgram(io, s.a, s.transA, s.b, s.transB, out).name).toBe(s.name);
  expect(m * n).toBeGreaterThan(0);
  const t = new Tracer();
  t.run((tr) => t.output('c', tr.input('a', s.a).matmul(tr.input('b', s.b), { transA: s.transA, transB: s.transB })));
  const plan = compile(t.graph);
  const r = rng(11);
  const inputs = { a: generate(s.a.reduce((x, y) => x * y, 1), 'normal', r), b: generate(s.b.reduce((x, y) => x * y, 1), 'normal', r) };
  const want = await createBackend('cpu', { mode: 'f64' }).prepare(plan).run(inputs);
  const { device } = await nodeGpu();
  const got = await new WebGpuBackend(device).prepare(plan).run(inputs);
  expectClose(`${s.name} c`, got.c, want.c, F32);
});

test('the 8×8-thread large tile (devices with fewer than 256 threads per workgroup) ~ f64 CPU', async () => {
  const { device } = await nodeGpu();
  const program = matmulProgram(io, [70, 64], false, [64, 66], false, [70, 66], 128);
  expect(program.name).toBe('matmul large-8x8 vecA:p');
  const t = new Tracer();
  t.run((tr) => t.output('c', tr.input('a', [70, 64]).matmul(tr.input('b', [64, 66]))));
  const plan = compile(t.graph);
  const r = rng(12);
  const inputs = { a: generate(70 * 64, 'normal', r), b: generate(64 * 66, 'normal', r) };
  const want = await createBackend('cpu', { mode: 'f64' }).prepare(plan).run(inputs);
  const got = await new WebGpuBackend(device, { maxInvocations: 128 }).prepare(plan).run(inputs);
  expectClose('large-8x8 c', got.c, want.c, F32);
});
