/**
 * @file The TensorFlow.js peer (4.22, `wasm` = XNNPACK SIMD single-threaded in Node, `cpu` = plain
 * JS): the same workloads written with tfjs-core ops, Adam 1e-3, NHWC convolutions. The wasm
 * backend has no Conv2DBackpropFilter, so W3 fails there (reported, not hidden).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '../core/data/dataset';
import { epochOrder, fullBatches } from '../core/train/batches';
import type { Measure } from './ours';
import type { Workload } from './workloads';

type Tf = typeof import('@tensorflow/tfjs-core');
type T = import('@tensorflow/tfjs-core').Tensor;
type V = import('@tensorflow/tfjs-core').Variable;

let tfp: Promise<Tf> | undefined;
let current = '';

export async function tfjs(backend: 'wasm' | 'cpu'): Promise<Tf> {
  tfp ??= (async () => {
    // the umbrella package: its Node build carries the gradients (tfjs-core's alone does not);
    // kernels, gradients and the engine live in global registries every copy shares
    const tf = (await import('@tensorflow/tfjs')) as unknown as Tf;
    await import('@tensorflow/tfjs-backend-cpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    return tf;
  })();
  const tf = await tfp;
  if (current !== backend) {
    await tf.setBackend(backend);
    await tf.ready();
    current = backend;
  }
  return tf;
}

function glorot(tf: Tf, shape: number[], fanIn: number, fanOut: number): V {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', 1));
}

export async function tfGemm(backend: 'wasm' | 'cpu', n: number, seconds: number): Promise<Measure> {
  const tf = await tfjs(backend);
  const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
  const once = (): void => tf.tidy(() => { tf.matMul(a, b).dataSync(); });
  once();
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || reps < 1) { once(); reps++; }
  const ms = (performance.now() - t0) / reps;
  tf.dispose([a, b]);
  return { rate: (2 * n * n * n) / ms / 1e6 };
}

interface Model { vars: V[]; loss(x: T, y: T): T }

function build(tf: Tf, w: Workload): Model {
  // functional ops only: the CommonJS build of tfjs-core registers no chained (x.add) methods
  const dense = (i: number, o: number): [V, V] => [glorot(tf, [i, o], i, o), tf.variable(tf.zeros([o]))];
  const lin = (x: T, [k, b]: [V, V]): T => tf.add(tf.matMul(x, k), b);
  const ln = (x: T, g: V, b: V): T => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  const ce = (y: T, logits: T): T => tf.losses.softmaxCrossEntropy(tf.oneHot(y as never, 10), logits);
  switch (w.id) {
    case 'W2': {
      const l = [dense(784, 256), dense(256, 128), dense(128, 10)];
      return {
        vars: l.flat(),
        loss: (x, y) => ce(y, lin(tf.relu(lin(tf.relu(lin(tf.reshape(x, [-1, 784]), l[0])), l[1])), l[2])),
      };
    }
    case 'W3': {
      const k1 = glorot(tf, [5, 5, 1, 6], 25, 150), c1 = tf.variable(tf.zeros([6]));
      const k2 = glorot(tf, [5, 5, 6, 16], 150, 400), c2 = tf.variable(tf.zeros([16]));
      const l = [dense(256, 120), dense(120, 84), dense(84, 10)];
      const conv = (h: T, k: V, c: V): T => tf.maxPool(tf.relu(tf.add(tf.conv2d(h as never, k as never, 1, 'valid'), c)) as never, 2, 2, 'valid');
      return {
        vars: [k1, c1, k2, c2, ...l.flat()],
        loss: (x, y) => {
          const h = tf.reshape(conv(conv(tf.reshape(x, [-1, 28, 28, 1]), k1, c1), k2, c2), [-1, 256]);
          return ce(y, lin(tf.relu(lin(tf.relu(lin(h, l[0])), l[1])), l[2]));
        },
      };
    }
    case 'W4': {
      const H = 128;
      const wi = glorot(tf, [8, 4 * H], 8, 4 * H), wh = glorot(tf, [H, 4 * H], H, 4 * H), bias = tf.variable(tf.zeros([4 * H]));
      const head = dense(H, 1);
      return {
        vars: [wi, wh, bias, ...head],
        loss: (x, y) => {
          const B = x.shape[0];
          const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, 8]), wi), bias), [B, 50, 4 * H]);
          let h: T = tf.zeros([B, H]), c: T = tf.zeros([B, H]);
          for (let t = 0; t < 50; t++) {
            const g = tf.add(tf.reshape(tf.slice(xw, [0, t, 0], [B, 1, 4 * H]), [B, 4 * H]), tf.matMul(h, wh));
            const [i, f, gg, o] = tf.split(g, 4, 1);
            c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(gg)));
            h = tf.mul(tf.sigmoid(o), tf.tanh(c));
          }
          return tf.losses.meanSquaredError(y, lin(h, head));
        },
      };
    }
    case 'W5': {
      const D = 128, Hh = 4, dh = 32, T_ = 64, F = 512;
      const q_ = dense(D, D), k_ = dense(D, D), v_ = dense(D, D), o_ = dense(D, D), f1 = dense(D, F), f2 = dense(F, D);
      const g1 = tf.variable(tf.ones([D])), e1 = tf.variable(tf.zeros([D])), g2 = tf.variable(tf.ones([D])), e2 = tf.variable(tf.zeros([D]));
      return {
        vars: [...q_, ...k_, ...v_, ...o_, ...f1, ...f2, g1, e1, g2, e2],
        loss: (x, y) => {
          const B = x.shape[0];
          const x2 = tf.reshape(x, [B * T_, D]);
          const heads = (l: [V, V]): T => tf.transpose(tf.reshape(lin(x2, l), [B, T_, Hh, dh]), [0, 2, 1, 3]);
          const p = tf.softmax(tf.mul(tf.matMul(heads(q_), heads(k_), false, true), 1 / Math.sqrt(dh)));
          const att = lin(tf.reshape(tf.transpose(tf.matMul(p, heads(v_)), [0, 2, 1, 3]), [B * T_, D]), o_);
          const h1 = ln(tf.add(x2, att), g1, e1);
          const h2 = ln(tf.add(h1, lin(tf.relu(lin(h1, f1)), f2)), g2, e2);
          return tf.losses.meanSquaredError(tf.reshape(y, [B * T_, D]), h2);
        },
      };
    }
  }
}

const models = new Map<string, Model>();

export async function tfTrain(backend: 'wasm' | 'cpu', w: Workload, seconds: number): Promise<Measure> {
  const tf = await tfjs(backend);
  const key = `${backend}/${w.id}`;
  let m = models.get(key);
  if (!m) {
    m = build(tf, w);
    models.set(key, m);
  }
  const model = m;
  const opt = tf.train.adam(1e-3);
  const xShape = [w.batch, ...Object.values(w.fields)[0]];
  const x = tf.randomUniform(xShape, -1, 1);
  const y = w.classes ? tf.randomUniform([w.batch], 0, w.classes, 'int32') : tf.randomUniform([w.batch, ...Object.values(w.fields)[1]], -1, 1);
  const step = (): void => { tf.tidy(() => { opt.minimize(() => model.loss(x, y) as never, false, model.vars); }); };
  try {
    step();
  } catch (e) {
    tf.dispose([x, y]);
    return { rate: NaN, note: `fails: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 80)}` };
  }
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || steps < 1) { step(); steps++; }
  const s = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  opt.dispose();
  return { rate: w.unit === 'steps/s' ? steps / s : (steps * w.batch) / s };
}

/** W2 on MNIST with fresh weights; accuracy only when the whole epoch ran within `seconds`. */
export async function tfMnist(backend: 'wasm' | 'cpu', w: Workload, train: Dataset, test: Dataset, seconds: number): Promise<Measure> {
  const tf = await tfjs(backend);
  const model = build(tf, w);
  const opt = tf.train.adam(1e-3);
  const images = new Float32Array(w.batch * 784), labels = new Int32Array(w.batch);
  const batches = [...fullBatches(epochOrder(train.size, 1, 0), w.batch)];
  let n = 0;
  const t0 = performance.now();
  for (const rows of batches) {
    train.gather('image', rows, images);
    train.gather('label', rows, labels);
    tf.tidy(() => {
      const x = tf.tensor(images, [w.batch, 784]), y = tf.tensor(labels, [w.batch], 'int32');
      opt.minimize(() => model.loss(x, y) as never, false, model.vars);
    });
    n++;
    if (performance.now() - t0 > seconds * 1000) break;
  }
  const rate = (n * w.batch) / ((performance.now() - t0) / 1000);
  if (n < batches.length) return { rate, note: `${n} of ${batches.length} steps` };
  let right = 0, total = 0;
  for (const rows of fullBatches(Int32Array.from({ length: test.size }, (_, i) => i), w.batch)) {
    test.gather('image', rows, images);
    test.gather('label', rows, labels);
    const pred = tf.tidy(() => {
      const h = tf.tensor(images, [w.batch, 784]);
      const l = model.vars;
      const lin = (x: T, i: number): T => tf.add(tf.matMul(x, l[i]), l[i + 1]);
      return tf.argMax(lin(tf.relu(lin(tf.relu(lin(h, 0)), 2)), 4), 1).dataSync();
    });
    for (let r = 0; r < w.batch; r++) { if (pred[r] === labels[r]) right++; total++; }
  }
  tf.dispose(model.vars);
  opt.dispose();
  return { rate, accuracy: right / total };
}
