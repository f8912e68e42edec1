/**
 * @file verifyPlan: replays a plan's steps over buffer states and checks that every read follows a
 * write, every buffer is big enough and of the right storage, and no two lifetimes overlap in a slot.
 */
import { inferNode, sameType, sizeOf } from '../ir/graph';
import { IrError } from '../ir/error';
import { canRunInPlace } from './lower';
import { storageOf, type BufferId, type Plan, type PlanIo, type Storage } from './plan';

export function verifyPlan(plan: Plan): void {
  const fail = (msg: string): never => { throw new IrError(`plan: ${msg}`); };
  plan.buffers.forEach((b, i) => { if (b.id !== i) fail(`buffer #${i} has id ${b.id}`); });
  const buf = (id: BufferId) => plan.buffers[id] ?? fail(`unknown buffer b${id}`);

  const checkIo = (io: PlanIo, role: string): void => {
    const b = buf(io.buffer);
    if (b.role !== role) fail(`${role} '${io.name}' uses a ${b.role} buffer b${b.id}`);
    if (b.size < sizeOf(io.shape)) fail(`${role} '${io.name}' needs ${sizeOf(io.shape)} elements, b${b.id} has ${b.size}`);
    if (b.storage !== storageOf(io.dtype)) fail(`${role} '${io.name}' is ${io.dtype} but b${b.id} is ${b.storage}`);
  };
  plan.inputs.forEach((io) => checkIo(io, 'input'));
  plan.outputs.forEach((io) => checkIo(io, 'output'));
  plan.variables.forEach((io) => checkIo(io, 'variable'));
  for (const c of plan.constants) {
    const b = buf(c.buffer);
    if (b.role !== 'constant' || b.size < c.value.length) fail(`constant b${b.id} is not a constant buffer of ${c.value.length} elements`);
  }

  const written = new Set<BufferId>([...plan.inputs, ...plan.variables].map((v) => v.buffer));
  for (const c of plan.constants) written.add(c.buffer);
  /** slot -> size of the value living in it */
  const live = new Map<BufferId, number>();

  const checkRead = (id: BufferId, size: number, storage: Storage, at: string): void => {
    const b = buf(id);
    if (b.storage !== storage) fail(`${at}: reads b${id} as ${storage}, it is ${b.storage}`);
    if (b.role === 'slot') {
      const n = live.get(id);
      if (n === undefined) fail(`${at}: reads slot b${id} outside its lifetime`);
      else if (n < size) fail(`${at}: reads ${size} elements of slot b${id} holding ${n}`);
    } else if (b.size < size) fail(`${at}: reads ${size} elements of b${id} (${b.size})`);
    if (!written.has(id)) fail(`${at}: reads b${id} before it is written`);
  };
  const checkWrite = (id: BufferId, size: number, storage: Storage, at: string, allowVariable: boolean): void => {
    const b = buf(id);
    if (b.storage !== storage) fail(`${at}: writes b${id} as ${storage}, it is ${b.storage}`);
    if (b.role === 'input' || b.role === 'constant' || (b.role === 'variable' && !allowVariable)) fail(`${at}: writes ${b.role} buffer b${id}`);
    if (b.role === 'slot') {
      const n = live.get(id);
      if (n === undefined) fail(`${at}: writes slot b${id} outside its lifetime`);
      else if (n < size) fail(`${at}: writes ${size} elements into slot b${id} allocated for ${n}`);
    } else if (b.size < size) fail(`${at}: writes ${size} elements into b${id} (${b.size})`);
    written.add(id);
  };

  plan.steps.forEach((s, k) => {
    const at = `step ${k} (${s.op})`;
    switch (s.op) {
      case 'alloc': {
        const b = buf(s.buffer);
        if (b.role !== 'slot') fail(`${at}: b${s.buffer} is not a slot`);
        if (live.has(s.buffer)) fail(`${at}: slot b${s.buffer} is still live (overlapping lifetimes)`);
        if (s.size > b.size) fail(`${at}: ${s.size} elements do not fit slot b${s.buffer} (${b.size})`);
        live.set(s.buffer, s.size);
        written.delete(s.buffer);
        break;
      }
      case 'free':
        if (!live.has(s.buffer)) fail(`${at}: slot b${s.buffer} is not live`);
        live.delete(s.buffer);
        written.delete(s.buffer);
        break;
      case 'run': {
        const k2 = s.kernel;
        if (s.inputs.length !== k2.inputs.length) fail(`${at}: ${s.inputs.length} buffers for ${k2.inputs.length} kernel inputs`);
        s.inputs.forEach((id, i) => checkRead(id, sizeOf(k2.inputs[i].shape), storageOf(k2.inputs[i].dtype), `${at} ${k2.prim}`));
        const inferred = inferNode(k2.prim, k2.inputs, k2.params);
        if (!sameType(inferred, k2.output)) fail(`${at}: ${k2.prim} declares an output its shape rule does not give`);
        s.inputs.forEach((id, i) => {
          if (id !== s.output) return;
          if (!canRunInPlace(k2.prim, k2.inputs[i], k2.output)) fail(`${at}: ${k2.prim} writes b${s.output}, one of its inputs, and cannot run in place`);
        });
        checkWrite(s.output, sizeOf(k2.output.shape), storageOf(k2.output.dtype), `${at} ${k2.prim}`, false);
        break;
      }
      case 'copy': {
        const storage = buf(s.from).storage;
        checkRead(s.from, s.size, storage, at);
        checkWrite(s.to, s.size, storage, at, true);
        break;
      }
      default: s satisfies never;
    }
  });
  if (live.size > 0) fail(`slots ${[...live.keys()].map((b) => `b${b}`).join(', ')} are never freed`);
  for (const o of plan.outputs) if (!written.has(o.buffer)) fail(`output '${o.name}' is never written`);
}
