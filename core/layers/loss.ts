/**
 * @file What the losses share. A loss reads the prediction on `in` and its target either from the
 * optional `target` port (an autoencoder's input, a GAN's labels) or, when that is unconnected,
 * from the dataset field named by the `target` param, which tracing declares as a graph input
 * under that field's name. The output is the mean loss, a scalar.
 */
import { p, reject, type FieldFeed, type Inputs, type Outputs, type PortsDecl, type Rejection } from './define';
import { formatShape, sameShape, type PortType, type Shape } from './shape';
import type { DType } from './types';

export const lossPorts: PortsDecl<'in', 'out'> = { in: ['in'], optional: ['target'], out: ['out'] };

export const targetParam = (field: string) =>
  p.string({ default: field, minLength: 1, maxLength: 100, doc: 'Dataset field holding the target (used when the target port is unconnected)' });

/** The dataset feed of the target when its port is unconnected. */
export const targetFeed =
  (dtype: DType, shapeOf: (prediction: Shape) => Shape) =>
  ({ target }: { readonly target: string }, inputs: Inputs<'in', PortType>): Readonly<Record<string, FieldFeed>> =>
    inputs.target ? {} : { target: { field: target, shape: shapeOf(inputs.in.shape), dtype } };

/** `in` must be float; the target must have `targetDtype`. */
export const lossDtypes =
  (targetDtype: DType) =>
  (dtypes: Inputs<'in', DType>): Outputs<'out', DType> | Rejection => {
    if (dtypes.in !== 'f32') return reject('E_DTYPE', `needs float predictions but receives ${dtypes.in}`, { port: 'in' });
    const t = dtypes.target;
    if (t !== undefined && t !== targetDtype) {
      const hint = targetDtype === 'i32' ? 'integer class labels (i32)' : 'float targets (f32)';
      return reject('E_DTYPE', `needs ${hint} but its target holds ${t}`, { port: 'target' });
    }
    return { out: 'f32' };
  };

/** Checks a connected target against the expected shape; the loss itself is a scalar. */
export function lossShape(inputs: Inputs<'in', Shape>, expected: Shape): Outputs<'out', Shape> | Rejection {
  const t = inputs.target;
  if (t !== undefined && !sameShape(t, expected)) {
    return reject('E_SHAPE_MISMATCH', `needs a target of shape ${formatShape(expected)} for predictions ${formatShape(inputs.in)} but receives ${formatShape(t)}`, { port: 'target' });
  }
  return { out: [] };
}
