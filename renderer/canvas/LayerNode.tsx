/**
 * @file The one node component of the canvas: a layer card with its type, its label, a short
 * summary of its parameters, a target handle per input port and a source handle per output port.
 */
import { memo, type CSSProperties } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { LayerFlowNode } from './projectGraph';
import { FAMILY_ACCENT, layerFamily } from './layerLook';
import { summarizeParams } from './paramsSummary';
import { DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT } from './layerPorts';

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const family = layerFamily(data.layerType);
  const { lines, hidden } = summarizeParams(data.params);
  const style = { '--layer-accent': FAMILY_ACCENT[family] } as CSSProperties;
  return (
    <div className={`layer-node layer-node--${family}${selected ? ' is-selected' : ''}`} style={style} data-testid={`layer-node-${id}`}>
      <div className="layer-node__header">
        <span className="layer-node__type">{data.layerType}</span>
        <span className="layer-node__name" title={data.label ?? id}>
          {data.label ?? id}
        </span>
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
      <PortHandles ports={data.ports.inputs} kind="target" defaultPort={DEFAULT_INPUT_PORT} />
      <PortHandles ports={data.ports.outputs} kind="source" defaultPort={DEFAULT_OUTPUT_PORT} />
    </div>
  );
}

/** Handles spread evenly down one side; named when a side has more than the default port. */
function PortHandles({ ports, kind, defaultPort }: { ports: string[]; kind: 'source' | 'target'; defaultPort: string }) {
  const showNames = ports.length > 1 || (ports.length === 1 && ports[0] !== defaultPort);
  return ports.map((port, index) => {
    const top = `${((index + 1) / (ports.length + 1)) * 100}%`;
    return (
      <Handle key={port} id={port} type={kind} position={kind === 'target' ? Position.Left : Position.Right} style={{ top }} className="layer-node__handle" title={port}>
        {showNames && <span className={`layer-node__port-name layer-node__port-name--${kind}`}>{port}</span>}
      </Handle>
    );
  });
}

export const LayerNode = memo(LayerNodeView);
