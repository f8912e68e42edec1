/**
 * @file `builtin:sensors`: a generated predictive-maintenance set, deterministic from a seed.
 * Each machine runs in cycles that end in a failure (then a repair resets it). Over the last
 * `precursor` rows of a cycle, some sensors drift: x += amplitude * ((t - t0) / precursor)^2,
 * on top of each sensor's baseline and Gaussian noise. The last cycle of a machine may be cut
 * short by the end of the recording (censored: no failure seen).
 */
import { splitmix32 } from './split';
import type { SeriesTable } from './timeseries';

export interface SensorOptions {
  machines?: number;
  sensors?: number;
  /** Rows per machine. */
  steps?: number;
  /** Rows of drift before each failure. */
  precursor?: number;
  /** Sensors that drift before a failure (indices). */
  drifting?: number[];
}

export const SENSOR_DEFAULTS = { machines: 10, sensors: 6, steps: 800, precursor: 40, drifting: [0, 2, 3] } as const;

export function makeSensors(seed: number, options: SensorOptions = {}): SeriesTable {
  const machines = options.machines ?? SENSOR_DEFAULTS.machines;
  const S = options.sensors ?? SENSOR_DEFAULTS.sensors;
  const steps = options.steps ?? SENSOR_DEFAULTS.steps;
  const precursor = options.precursor ?? SENSOR_DEFAULTS.precursor;
  const drifting = (options.drifting ?? SENSOR_DEFAULTS.drifting).filter((s) => s < S);
  const next = splitmix32(seed);
  const uniform = () => (next() + 0.5) / 4294967296;
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

  const rows = machines * steps;
  const values = new Float64Array(rows * S);
  const unitOf = new Int32Array(rows);
  const failure = new Uint8Array(rows);
  const baseline = Array.from({ length: S }, (_, s) => 20 + 10 * s);
  const noise = Array.from({ length: S }, (_, s) => 0.5 + 0.1 * s);
  for (let m = 0; m < machines; m++) {
    const offset = Array.from({ length: S }, () => gaussian());
    // Drift direction per sensor and machine: some rise, some fall, always by 3 to 6 noise levels.
    const amplitude = Array.from({ length: S }, (_, s) => (uniform() < 0.5 ? -1 : 1) * noise[s] * (3 + 3 * uniform()));
    let failAt = Math.round(120 + uniform() * 200);
    for (let t = 0; t < steps; t++) {
      const r = m * steps + t;
      unitOf[r] = m;
      const toFailure = failAt - t;
      const drift = toFailure >= 0 && toFailure < precursor ? ((precursor - toFailure) / precursor) ** 2 : 0;
      for (let s = 0; s < S; s++) {
        const seasonal = Math.sin((2 * Math.PI * t) / (50 + 7 * s));
        values[r * S + s] = baseline[s] + offset[s] + 0.5 * seasonal + noise[s] * gaussian() + (drifting.includes(s) ? amplitude[s] * drift : 0);
      }
      if (toFailure === 0) {
        failure[r] = 1;
        failAt = t + Math.round(120 + uniform() * 200);
      }
    }
  }
  return {
    file: 'builtin:sensors',
    units: Array.from({ length: machines }, (_, m) => `machine-${String(m + 1).padStart(2, '0')}`),
    sensors: Array.from({ length: S }, (_, s) => `sensor_${s + 1}`),
    values,
    unitOf,
    failure,
  };
}
