/**
 * @file The parameter DSL of layers: `p.int`, `p.float`, `p.bool`, `p.choice`, `p.ints`,
 * `p.string`. One declaration is plain data that serves validation (E_PARAM_TYPE /
 * E_PARAM_RANGE), the TypeScript type of `params` inside a layer's rules, and the inspector UI.
 */

interface ParamBase<K extends string, T> {
  readonly kind: K;
  readonly default: T;
  /** One line for the inspector's tooltip. */
  readonly doc?: string;
}
export interface IntParam extends ParamBase<'int', number> { readonly min?: number; readonly max?: number }
export interface FloatParam extends ParamBase<'float', number> {
  readonly min?: number;
  readonly max?: number;
  /** The value must be strictly above `min` (a learning rate, an epsilon). */
  readonly exclusiveMin?: boolean;
}
export type BoolParam = ParamBase<'bool', boolean>;
export interface ChoiceParam<C extends string = string> extends ParamBase<'choice', C> { readonly options: readonly C[] }
/** A list of integers: a shape, a kernel size, paddings. Bounds apply to each element. */
export interface IntsParam extends ParamBase<'ints', readonly number[]> {
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
}
export interface StringParam extends ParamBase<'string', string> { readonly minLength?: number; readonly maxLength?: number }

export type ParamSpec = IntParam | FloatParam | BoolParam | ChoiceParam | IntsParam | StringParam;
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** The value type a declaration stands for. */
export type ParamValue<S extends ParamSpec> = S extends ChoiceParam<infer C> ? C : S['default'];
export type ParamValues<P extends ParamSchema> = { readonly [K in keyof P]: ParamValue<P[K]> };

type Opts<T> = { default: T; doc?: string };

export const p = {
  int: (o: Opts<number> & { min?: number; max?: number }): IntParam => ({ kind: 'int', ...o }),
  float: (o: Opts<number> & { min?: number; max?: number; exclusiveMin?: boolean }): FloatParam => ({ kind: 'float', ...o }),
  bool: (value: boolean, doc?: string): BoolParam => ({ kind: 'bool', default: value, ...(doc ? { doc } : {}) }),
  choice: <const C extends string>(options: readonly C[], value: NoInfer<C>, doc?: string): ChoiceParam<C> => ({
    kind: 'choice',
    options,
    default: value,
    ...(doc ? { doc } : {}),
  }),
  ints: (o: Opts<readonly number[]> & { length?: number; minLength?: number; maxLength?: number; min?: number; max?: number }): IntsParam => ({
    kind: 'ints',
    ...o,
  }),
  string: (o: Opts<string> & { minLength?: number; maxLength?: number }): StringParam => ({ kind: 'string', ...o }),
};

export type ParamCheck = { ok: true; value: unknown } | { ok: false; code: 'E_PARAM_TYPE' | 'E_PARAM_RANGE'; message: string };

const typeError = (message: string): ParamCheck => ({ ok: false, code: 'E_PARAM_TYPE', message });
const rangeError = (message: string): ParamCheck => ({ ok: false, code: 'E_PARAM_RANGE', message });
const show = (v: unknown): string => {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
  } catch {
    return String(v);
  }
};

function bounds(v: number, min: number | undefined, max: number | undefined, exclusiveMin = false): string | null {
  if (min !== undefined && (exclusiveMin ? v <= min : v < min)) return exclusiveMin ? `above ${min}` : `at least ${min}`;
  if (max !== undefined && v > max) return `at most ${max}`;
  return null;
}

/** Checks one value against its declaration; `undefined` takes the default. Never throws. */
export function checkParam(spec: ParamSpec, value: unknown): ParamCheck {
  if (value === undefined) return { ok: true, value: spec.default };
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const whole = spec.kind === 'int';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
        return typeError(`must be ${whole ? 'a whole number' : 'a number'}, not ${show(value)}`);
      }
      const bad = bounds(value, spec.min, spec.max, spec.kind === 'float' && spec.exclusiveMin);
      return bad ? rangeError(`must be ${bad}, not ${value}`) : { ok: true, value };
    }
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : typeError(`must be true or false, not ${show(value)}`);
    case 'choice':
      if (typeof value !== 'string') return typeError(`must be one of ${spec.options.join(', ')}, not ${show(value)}`);
      return spec.options.includes(value) ? { ok: true, value } : rangeError(`must be one of ${spec.options.join(', ')}, not "${value}"`);
    case 'ints': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
        return typeError(`must be a list of whole numbers, not ${show(value)}`);
      }
      const list = value as number[];
      if (spec.length !== undefined && list.length !== spec.length) return rangeError(`must have exactly ${spec.length} numbers, not ${list.length}`);
      if (spec.minLength !== undefined && list.length < spec.minLength) return rangeError(`must have at least ${spec.minLength} numbers`);
      if (spec.maxLength !== undefined && list.length > spec.maxLength) return rangeError(`must have at most ${spec.maxLength} numbers`);
      for (const v of list) {
        const bad = bounds(v, spec.min, spec.max);
        if (bad) return rangeError(`each number must be ${bad}, not ${v}`);
      }
      return { ok: true, value: [...list] };
    }
    case 'string': {
      if (typeof value !== 'string') return typeError(`must be text, not ${show(value)}`);
      if (spec.minLength !== undefined && value.length < spec.minLength) return rangeError(spec.minLength === 1 ? 'must not be empty' : `must have at least ${spec.minLength} characters`);
      if (spec.maxLength !== undefined && value.length > spec.maxLength) return rangeError(`must have at most ${spec.maxLength} characters`);
      return { ok: true, value };
    }
    default:
      return spec satisfies never;
  }
}

/** The defaults of a schema, as a value. */
export function defaultParams<P extends ParamSchema>(schema: P): ParamValues<P> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = s.default;
  return out as ParamValues<P>;
}
