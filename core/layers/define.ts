/**
 * @file THE extension point for a new layer: `defineLayer({ type, ui, params, ports, shape,
 * weights, state?, forward, flops? })`. The typed spec an author writes is checked here and
 * erased into one uniform `Layer` record that the registry, validation, shape inference, tracing,
 * the palette, the inspector, tests and exporters read.
 */
import type { Tensor } from '../tensor/tensor';
import type { DiagnosticCode } from '../model/diagnostics';
import { defaultParams, type ParamSchema, type ParamValues } from './params';
import type { PortType, Shape } from './shape';
import type { DType, LayerCategory, LayerFix, ShapeIssue, WeightSpec } from './types';

export { p } from './params';
export { init } from './types';

export interface PortsDecl<I extends string = string, O extends string = string> {
  readonly in: readonly I[];
  /** Inputs that may stay unconnected (a loss's `target` when it comes from the dataset). */
  readonly optional?: readonly string[];
  readonly out: readonly O[];
}

/** Values by input port: declared ports are present; optional ports and fields may be missing. */
export type Inputs<I extends string, T> = Readonly<Record<I, T>> & { readonly [port: string]: T | undefined };
export type Outputs<O extends string, T> = Readonly<Record<O, T>>;
export type Rejection = { readonly issues: readonly ShapeIssue[] };
export type TensorsOf<W> = { readonly [K in keyof W]: Tensor };

/** A tensor the dataset feeds: `field` names the dataset column; its shape includes the batch. */
export interface FieldFeed {
  readonly field: string;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a forward may use besides its inputs and weights (see docs/dev/engine-contract.md). */
export interface ForwardContext {
  readonly training: boolean;
  /**
   * The batch is this many equal groups of consecutive rows from different sources (a GAN
   * discriminator's real rows, then its generated ones); batch statistics are taken per group,
   * as if each group were its own batch. 1 for an ordinary batch.
   */
  readonly batchGroups: number;
  /** Fresh random numbers each step; f32 of `shape` (concrete, batch included). */
  random(dist: 'uniform' | 'normal', shape: readonly number[]): Tensor;
  /** A non-trainable persistent tensor declared by `state`. */
  state(name: string): Tensor;
  /** The new value of a state tensor, written at the end of the step (training only). */
  setState(name: string, value: Tensor): void;
}

/** How output dtypes follow from input dtypes: all float (default), pass-through, or a rule. */
export type DTypeRule<I extends string, O extends string, V> =
  | 'float'
  | 'same'
  | ((dtypes: Inputs<I, DType>, params: V) => Outputs<O, DType> | Rejection);

export type Role = 'input' | 'output' | 'loss' | 'layer';

/** What a layer author writes. */
export interface LayerSpec<T extends string, P extends ParamSchema, I extends string, O extends string, W, S> {
  readonly type: T;
  readonly ui: { readonly label: string; readonly category: LayerCategory; readonly doc: string };
  /** input: feeds data; output: marks a prediction; loss: a scalar summed into the training loss. */
  readonly role?: Role;
  readonly params: P;
  /** The param that sets the size of the output's channel (or feature) axis: `filters`, `units`. */
  readonly widthParam?: keyof P & string;
  readonly ports: PortsDecl<I, O> | ((params: ParamValues<P>) => PortsDecl<I, O>);
  /** Tensors the dataset feeds, as extra inputs by name (an Input's data, a loss's target). */
  readonly fields?: (params: ParamValues<P>, inputs: Inputs<I, PortType>) => Readonly<Record<string, FieldFeed>>;
  readonly dtypes?: DTypeRule<I, O, ParamValues<P>>;
  /** Output shapes from input shapes (the batch is `'B'`), or issues a person can act on. */
  readonly shape: (inputs: Inputs<I, Shape>, params: ParamValues<P>) => Outputs<O, Shape> | Rejection;
  readonly weights?: (inputs: Inputs<I, Shape>, params: ParamValues<P>) => W;
  readonly state?: (inputs: Inputs<I, Shape>, params: ParamValues<P>) => S;
  readonly forward: (inputs: Inputs<I, Tensor>, weights: TensorsOf<W>, params: ParamValues<P>, ctx: ForwardContext) => Outputs<O, Tensor>;
  /** Floating-point operations for one example (a multiply-add counts 2). Default: one per output element. */
  readonly flops?: (inputs: Inputs<I, Shape>, outputs: Outputs<O, Shape>, params: ParamValues<P>) => number;
}

type Params = Readonly<Record<string, unknown>>;

/** The uniform record every consumer reads. */
export interface Layer {
  readonly type: string;
  readonly ui: { readonly label: string; readonly category: LayerCategory; readonly doc: string };
  readonly role: Role;
  readonly params: ParamSchema;
  readonly widthParam: string | undefined;
  readonly defaults: Params;
  ports(params: Params): PortsDecl;
  fields(params: Params, inputs: Inputs<string, PortType>): Readonly<Record<string, FieldFeed>>;
  dtypes(dtypes: Inputs<string, DType>, params: Params, outPorts: readonly string[]): Outputs<string, DType> | Rejection;
  shape(inputs: Inputs<string, Shape>, params: Params): Outputs<string, Shape> | Rejection;
  weights(inputs: Inputs<string, Shape>, params: Params): Readonly<Record<string, WeightSpec>>;
  state(inputs: Inputs<string, Shape>, params: Params): Readonly<Record<string, WeightSpec>>;
  forward(inputs: Inputs<string, Tensor>, weights: Readonly<Record<string, Tensor>>, params: Params, ctx: ForwardContext): Outputs<string, Tensor>;
  flops: ((inputs: Inputs<string, Shape>, outputs: Outputs<string, Shape>, params: Params) => number) | undefined;
}

export function defineLayer<
  const T extends string,
  P extends ParamSchema,
  I extends string,
  O extends string,
  W extends { readonly [name: string]: WeightSpec | undefined } = Record<never, WeightSpec>,
  S extends { readonly [name: string]: WeightSpec | undefined } = Record<never, WeightSpec>,
>(spec: LayerSpec<T, P, I, O, W, S>): Layer & { readonly type: T } {
  const ports = spec.ports;
  const rule = spec.dtypes ?? 'float';
  const erase = <F>(f: unknown): F => f as F;
  return {
    type: spec.type,
    ui: spec.ui,
    role: spec.role ?? 'layer',
    params: spec.params,
    widthParam: spec.widthParam,
    defaults: defaultParams(spec.params),
    ports: typeof ports === 'function' ? erase<Layer['ports']>(ports) : () => ports,
    fields: spec.fields ? erase<Layer['fields']>(spec.fields) : () => ({}),
    dtypes: (dtypes, params, outPorts) => {
      if (typeof rule === 'function') return erase<(d: Inputs<string, DType>, v: Params) => Outputs<string, DType> | Rejection>(rule)(dtypes, params);
      if (rule === 'float') {
        const bad = Object.entries(dtypes).find(([, d]) => d !== undefined && d !== 'f32');
        if (bad) return reject('E_DTYPE', `needs float values but input "${bad[0]}" holds ${bad[1]} (integer ids go through an Embedding first)`, { port: bad[0] });
        return Object.fromEntries(outPorts.map((o) => [o, 'f32' as DType]));
      }
      const first = Object.values(dtypes).find((d) => d !== undefined) ?? 'f32';
      return Object.fromEntries(outPorts.map((o) => [o, first]));
    },
    shape: erase<Layer['shape']>(spec.shape),
    weights: spec.weights ? erase<Layer['weights']>(spec.weights) : () => ({}),
    state: spec.state ? erase<Layer['state']>(spec.state) : () => ({}),
    forward: erase<Layer['forward']>(spec.forward),
    flops: spec.flops ? erase<NonNullable<Layer['flops']>>(spec.flops) : undefined,
  };
}

/** A shape rule's way to say no: `return reject('E_SHAPE_RANK', 'needs …', { fix })`. */
export function reject(code: DiagnosticCode, message: string, where: { port?: string; fix?: LayerFix } = {}): Rejection {
  return { issues: [{ code, message, ...where }] };
}

export const isRejection = (v: object): v is Rejection => 'issues' in v && Array.isArray((v as Rejection).issues);

/** `in0 … in{n-1}`: the ports of an n-ary layer (Concat, Add). */
export const numberedPorts = (n: number): string[] => Array.from({ length: Math.max(0, Math.min(n, 64)) }, (_, i) => `in${i}`);

/** An input the rules guarantee (a field, a connected optional port); a bug guard otherwise. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} is missing`);
  return value;
}
