/**
 * @file The one node component for every layer, built from the layer registry: its title and
 * category colour, a short summary of its parameters, a target handle per input port and a
 * source handle per output port, its output shape, parameter count and FLOPs, and the
 * diagnostics core/model attached to it.
 */
import { memo, type CSSProperties } from 'react';
import type { NodeProps } from '@xyflow/react';
import { layerByType } from '../../core/layers';
import { formatCount } from './formatCount';
import { CATEGORY_ACCENT, layerCategory } from './layerLook';
import { DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT } from './layerPorts';
import { summarizeParams } from './paramsSummary';
import { PortHandles } from './PortHandles';
import type { LayerFlowNode } from './projectGraph';

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const category = layerCategory(data.layerType);
  const layer = layerByType.get(data.layerType);
  const { lines, hidden } = summarizeParams(data.params, 2);
  const style = { '--layer-accent': CATEGORY_ACCENT[category] } as CSSProperties;
  const view = data.view;
  const errors = view?.issues.filter((i) => i.severity === 'error') ?? [];
  const warnings = view?.issues.filter((i) => i.severity !== 'error') ?? [];
  const shapes = Object.values(view?.outShapes ?? {});
  const state = errors.length ? ' has-error' : warnings.length ? ' has-warning' : '';
  return (
    <div className={`layer-node layer-node--${category}${selected ? ' is-selected' : ''}${state}`} style={style} data-testid={`layer-node-${id}`} data-layer-type={data.layerType} title={layer?.ui.doc}>
      <div className="layer-node__header">
        <span className="layer-node__type">{layer?.ui.label ?? data.layerType}</span>
        <span className="layer-node__name" title={data.label ?? id}>
          {data.label ?? id}
        </span>
        {(errors.length > 0 || warnings.length > 0) && (
          <span className={`layer-node__issue${errors.length ? ' is-error' : ''}`} title={[...errors, ...warnings].map((i) => i.message).join('\n')} data-testid={`node-issue-${id}`}>
            {errors.length ? `${errors.length} error${errors.length > 1 ? 's' : ''}` : `${warnings.length} warning${warnings.length > 1 ? 's' : ''}`}
          </span>
        )}
      </div>
      {lines.length > 0 && (
        <dl className="layer-node__params">
          {lines.map((line) => (
            <div className="layer-node__param" key={line.name}>
              <dt>{line.name}</dt>
              <dd>{line.value}</dd>
            </div>
          ))}
          {hidden > 0 && <div className="layer-node__more">+{hidden} more</div>}
        </dl>
      )}
      {view && (
        <div className="layer-node__stats" data-testid={`node-stats-${id}`}>
          <span title="Output shape">{shapes.length ? shapes.join(' ') : '—'}</span>
          <span title="Trainable parameters · FLOPs per example">
            {view.paramCount === null ? '' : `${formatCount(view.paramCount)} p · ${formatCount(view.flops ?? 0)} F`}
          </span>
        </div>
      )}
      <PortHandles ports={data.ports.inputs} optional={data.ports.optional} kind="target" defaultPort={DEFAULT_INPUT_PORT} />
      <PortHandles ports={data.ports.outputs} kind="source" defaultPort={DEFAULT_OUTPUT_PORT} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
