/**
 * @file The compiler: simplification passes, memory planning (slot reuse, no steady-state
 * allocation), verifyPlan catching broken plans, and a pprint snapshot of a small plan.
 */
import { expect, test } from 'vitest';
import { createBackend } from '../../core/backends';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import { compile, kernelCost, planCost, pprintPlan, verifyPlan, type Plan } from '../../core/compile';
import { IrError } from '../../core/ir/error';
import { pprint, verify } from '../../core/ir/graph';
import { Prim } from '../../core/ir/prims';
import { constant, trace } from '../../core/tensor';
import { traceTrainStep } from '../../core/train/step';

test('a long chain reuses two slots and a steady-state run allocates nothing', async () => {
  const graph = trace((t) => {
    let h = t.input('x', [64]);
    for (let i = 0; i < 40; i++) h = i % 2 === 0 ? h.tanh() : h.mul(1.5);
    t.output('y', h);
  });
  const plan = compile(graph);
  const slots = plan.buffers.filter((b) => b.role === 'slot');
  expect(slots.length).toBeLessThanOrEqual(2);
  expect(plan.steps.filter((s) => s.op === 'run')).toHaveLength(40);

  const backend = new CpuBackend('f32');
  const exe = backend.prepare(plan);
  const allocated = backend.allocations;
  expect(allocated).toBe(plan.buffers.length);
  const x = Array.from({ length: 64 }, (_, i) => Math.sin(i));
  const first = (await exe.run({ x })).y;
  const second = (await exe.run({ x })).y;
  expect(backend.allocations).toBe(allocated);
  expect(second).toEqual(first);
});

test('a training step (forward, backward, Adam) reuses slots: arena far below one buffer per temporary', () => {
  const graph = traceTrainStep({
    forward: (t) => {
      let h = t.input('x', [8, 16]);
      for (let i = 0; i < 4; i++) h = h.matmul(t.param(`w${i}`, [16, 16], { init: { kind: 'glorotUniform' }, stream: i })).tanh();
      return h.square().mean();
    },
    optimizer: { kind: 'adam' },
  });
  const plan = compile(graph);
  const slots = plan.buffers.filter((b) => b.role === 'slot');
  const arena = slots.reduce((n, b) => n + b.size, 0);
  // one buffer per temporary: every run step writing a slot
  const temporaries = plan.steps.flatMap((s) => (s.op === 'run' && plan.buffers[s.output].role === 'slot' ? [s.kernel.output.shape] : []));
  const naive = temporaries.reduce((n, shape) => n + shape.reduce((a, d) => a * d, 1), 0);
  expect(slots.length).toBeLessThan(temporaries.length / 4);
  expect(arena).toBeLessThan(naive / 4);
});

test('CSE merges duplicates, folding removes x*1 and constant arithmetic, DCE drops unused nodes', () => {
  const graph = trace((t) => {
    const x = t.input('x', [3]);
    const a = x.exp();
    const b = x.exp(); // duplicate
    x.sin(); // dead
    const two = constant(1).add(1); // folded to 2
    t.output('y', a.add(b).mul(two).mul(1));
  });
  const plan = compile(graph);
  const prims = plan.steps.flatMap((s) => (s.op === 'run' ? [s.kernel.prim] : []));
  expect(prims).toEqual([Prim.Exp, Prim.Add, Prim.Mul]);
  expect(plan.constants.map((c) => c.value)).toEqual([[2]]);
});

test('verify rejects a graph read before definition; shape rules name the prim', () => {
  const graph = trace((t) => t.output('y', t.input('x', [2]).exp().neg()));
  const broken = { ...graph, nodes: [...graph.nodes].reverse() };
  expect(() => verify(broken)).toThrow(/reads %\d+ before it is defined/);
  expect(() => trace((t) => t.input('a', [2, 3]).matmul(t.input('b', [4, 2])))).toThrow(/matmul: inner dimensions differ/);
  expect(() => trace((t) => t.input('a', [2, 3]).add(t.input('b', [4])))).toThrow(/add: shapes \[2,3\] and \[4\] do not broadcast/);
  expect(() => trace((t) => t.input('a', [2, 3]).reshape([4, 2]))).toThrow(IrError);
});

test('verifyPlan catches overlapping lifetimes, reads after free, and short buffers', () => {
  const plan = compile(trace((t) => t.output('y', t.input('x', [2, 2]).transpose().transpose().transpose().transpose())));
  const clone = (): Plan => JSON.parse(JSON.stringify(plan)) as Plan;
  expect(() => verifyPlan(clone())).not.toThrow();

  const noFree = clone();
  const k = noFree.steps.findIndex((s) => s.op === 'free');
  const freed = noFree.steps[k];
  noFree.steps.splice(k, 1);
  if (freed.op === 'free') noFree.steps.push({ op: 'free', buffer: freed.buffer });
  expect(() => verifyPlan(noFree)).toThrow(/overlapping|still live|never freed/);

  const early = clone();
  const firstFree = early.steps.findIndex((s) => s.op === 'free');
  early.steps.splice(1, 0, early.steps.splice(firstFree, 1)[0]);
  expect(() => verifyPlan(early)).toThrow(/outside its lifetime|not live/);

  const short = clone();
  short.buffers.filter((b) => b.role === 'slot').forEach((b) => { b.size = 1; });
  expect(() => verifyPlan(short)).toThrow(/do not fit|elements/);
});

test('the plan is plain data: it survives a JSON round trip and runs the same', async () => {
  const plan = compile(trace((t) => {
    const x = t.input('x', [2, 3]);
    t.output('y', x.softmax());
  }));
  const copy = JSON.parse(JSON.stringify(plan)) as Plan;
  const x = [1, 2, 3, 4, 5, 7];
  const a = await createBackend('cpu').prepare(plan).run({ x });
  const b = await createBackend('cpu').prepare(copy).run({ x });
  expect(b.y).toEqual(a.y);
});

test('pprint of a small training plan', () => {
  const plan = compile(trace((t) => {
    const x = t.input('x', [2, 3]);
    const w = t.param('w', [3, 2], { init: { kind: 'glorotUniform' }, stream: 7 });
    const loss = x.matmul(w).relu().sum();
    t.output('loss', loss);
    t.update('w', w.sub(x.matmul(w).relu().sum().mul(0.1)));
  }));
  expect(pprintPlan(plan)).toMatchInlineSnapshot(`
    "plan: 1 inputs, 1 outputs, 1 variables, 3 slots (14 elements), 17 steps
    buffers:
      b0 input x f32[2,3]
      b1 param w f32[3,2] = glorotUniform#7
      b2 constant float x1 = [0]
      b3 constant float x1 = [0.1]
      b4 output loss f32[]
      b5 slot float x6
      b6 slot float x4
      b7 slot float x4
    steps:
      alloc b5 (4)
      b5 f32[2,2] = matmul(b0, b1) {transA=false, transB=false}
      alloc b6 (4)
      b6 bool[2,2] = gt(b5, b2)
      alloc b7 (4)
      b7 f32[2,2] = where(b6, b5, b2)
      free b6
      free b5
      b4 f32[] = sum(b7) {axes=[0,1], keepDims=false}
      free b7
      alloc b6 (1)
      b6 f32[] = mul(b4, b3)
      alloc b5 (6)
      b5 f32[3,2] = sub(b1, b6)
      free b6
      copy b5 -> b1 (6)
      free b5"
  `);
});

test('pprint of a traced graph', () => {
  const graph = trace((t) => {
    const x = t.input('x', [2, 3]);
    const b = t.param('b', [3], { init: { kind: 'uniform', limit: 0.5 }, stream: 3 });
    t.output('y', x.add(b).sigmoid().sum(1));
  });
  expect(pprint(graph)).toMatchInlineSnapshot(`
    "input x: %0 f32[2,3]
    param b: %1 f32[3] = uniform(0.5)#3
      %2 f32[2,3] = add(%0, %1)
      %3 f32[2,3] = sigmoid(%2)
      %4 f32[2] = sum(%3) {axes=[1], keepDims=false}
    output y = %4"
  `);
});

test('elementwise ops run in place over operands that die, others never do', () => {
  const plan = compile(trace((t) => {
    const x = t.input('x', [8]);
    t.output('y', x.exp().neg().tanh().matmul(t.input('m', [8, 2])).exp());
  }));
  const runs = plan.steps.flatMap((s) => (s.op === 'run' ? [s] : []));
  const [exp, neg, tanh] = runs;
  const matmul = runs.find((s) => s.kernel.prim === Prim.MatMul);
  if (matmul === undefined) throw new Error('no matmul step');
  expect(exp.inputs).not.toContain(exp.output); // x is an input buffer, never overwritten
  expect(neg.inputs).toContain(neg.output);
  expect(tanh.inputs).toContain(tanh.output);
  expect(matmul.inputs).not.toContain(matmul.output);
  const reshape = runs.find((s) => s.kernel.prim === Prim.Reshape);
  expect(reshape?.inputs).toContain(reshape?.output); // a reshape over a dying operand is free
});

test('cost rules: matmul 2mnk, conv 2*N*O*Ho*Wo*C*kh*kw; profiling times every run step', async () => {
  const plan = compile(trace((t) => {
    const a = t.input('a', [2, 3, 4]);
    const y = a.matmul(t.input('b', [4, 5]));
    const c = t.input('x', [1, 2, 5, 5]).conv2d(t.input('w', [3, 2, 3, 3]), { padding: 1 });
    t.output('y', y);
    t.output('c', c);
  }));
  const costs = plan.steps.flatMap((s) => (s.op === 'run' ? [[s.kernel.prim, kernelCost(s.kernel)] as const] : []));
  expect(costs).toEqual([
    [Prim.MatMul, { flops: 2 * 2 * 3 * 5 * 4, bytes: 4 * (24 + 20 + 30) }],
    [Prim.Conv2d, { flops: 2 * 1 * 3 * 25 * 2 * 9, bytes: 4 * (50 + 54 + 75) }],
  ]);
  expect(planCost(plan).flops).toBe(240 + 2700);

  let now = 0;
  const exe = createBackend('cpu').prepare(plan, { clock: () => (now += 1) });
  const inputs = { a: new Array(24).fill(1), b: new Array(20).fill(1), x: new Array(50).fill(1), w: new Array(54).fill(1) };
  await exe.run(inputs);
  await exe.run(inputs);
  expect(exe.profile().map((p) => [p.prim, p.runs, p.ms])).toEqual([[Prim.MatMul, 2, 2], [Prim.Conv2d, 2, 2]]);
});
