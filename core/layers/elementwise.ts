/** @file What the activations share: shape and dtype pass through, any rank, one op per element. */
import type { Tensor } from '../tensor';
import type { Outputs } from './define';
import { numel, type Shape } from './shape';

export const samePorts = { in: ['in'], out: ['out'] } as const;
export const sameShape = ({ in: x }: { readonly in: Shape }): Outputs<'out', Shape> => ({ out: x });
/** Per example; `cost` ops per element. */
export const perElement = (cost: number) => ({ in: x }: { readonly in: Shape }): number => cost * numel(x);
export type Unary = (x: Tensor) => Tensor;
