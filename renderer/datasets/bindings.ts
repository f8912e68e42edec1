/**
 * @file Which dataset fields a network reads (its Input nodes and the targets of its losses, from
 * core's analysis) and whether the dataset gives them with the same shape and dtype. Messages name
 * the node and both shapes: "Input 'image' reads [1, 28, 28] but the dataset gives [3, 32, 32]".
 */
import type { DatasetDescriptionMessage } from '../../core/contract/studio';
import { validateNetwork } from '../../core/model';
import type { Network } from '../../core/project';

export interface FieldBinding {
  nodeId: string;
  /** "Input 'image'" or "CrossEntropyLoss 'loss'" */
  node: string;
  field: string;
  /** Per-sample shape (batch left out); a non-number dimension matches anything. */
  shape: (number | string)[];
  dtype: string;
}

export interface BindingCheck {
  binding: FieldBinding;
  ok: boolean;
  message: string;
}

export function bindingsOf(network: Network): FieldBinding[] {
  const analysis = validateNetwork(network);
  const out: FieldBinding[] = [];
  for (const node of network.nodes) {
    const nodeAnalysis = analysis.nodes[node.id];
    if (!nodeAnalysis) continue;
    for (const feed of Object.values(nodeAnalysis.fields)) {
      out.push({ nodeId: node.id, node: `${node.type} '${node.label ?? node.id}'`, field: feed.field, shape: [...feed.shape].slice(1) as (number | string)[], dtype: feed.dtype });
    }
  }
  return out;
}

const shapeText = (shape: readonly (number | string)[]) => `[${shape.join(', ')}]`;

function sameShape(wanted: readonly (number | string)[], given: readonly number[]): boolean {
  // A scalar label [] and a one-element [1] are the same sample for a loss target.
  const a = wanted.filter((d) => d !== 1), b = given.filter((d) => d !== 1);
  return a.length === b.length && a.every((d, i) => typeof d !== 'number' || d === b[i]);
}

export function checkBindings(bindings: readonly FieldBinding[], description: Pick<DatasetDescriptionMessage, 'fields'>): BindingCheck[] {
  return bindings.map((binding) => {
    const field = description.fields.find((f) => f.name === binding.field);
    if (!field) {
      return { binding, ok: false, message: `${binding.node} reads the field '${binding.field}', which the dataset does not have (it has ${description.fields.map((f) => f.name).join(', ')}).` };
    }
    if (!sameShape(binding.shape, field.shape)) {
      return { binding, ok: false, message: `${binding.node} reads ${shapeText(binding.shape)} but the dataset gives ${shapeText(field.shape)}.` };
    }
    if (binding.dtype !== field.dtype) {
      return { binding, ok: false, message: `${binding.node} reads '${binding.field}' as ${binding.dtype} but the dataset gives ${field.dtype}.` };
    }
    return { binding, ok: true, message: `${binding.node} reads '${binding.field}' ${shapeText(field.shape)} ${field.dtype}.` };
  });
}
