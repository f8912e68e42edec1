/** @file A node side's handles, spread evenly, named when the side has more than the default port; optional inputs are drawn hollow. */
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';

interface PortHandlesProps {
  ports: readonly string[];
  kind: 'source' | 'target';
  defaultPort: string;
  optional?: readonly string[];
  /** Captions by port (a collapsed group names its member's port). */
  names?: Readonly<Record<string, string>>;
}

function PortHandlesView({ ports, kind, defaultPort, optional = [], names }: PortHandlesProps) {
  const showNames = names !== undefined || ports.length > 1 || (ports.length === 1 && ports[0] !== defaultPort);
  return ports.map((port, index) => {
    const top = `${((index + 1) / (ports.length + 1)) * 100}%`;
    const isOptional = optional.includes(port);
    return (
      <Handle
        key={port}
        id={port}
        type={kind}
        position={kind === 'target' ? Position.Left : Position.Right}
        style={{ top }}
        className={`layer-node__handle${isOptional ? ' is-optional' : ''}`}
        title={`${names?.[port] ?? port}${isOptional ? ' (optional)' : ''}`}
        data-port={port}
      >
        {showNames && <span className={`layer-node__port-name layer-node__port-name--${kind}`}>{names?.[port] ?? port}</span>}
      </Handle>
    );
  });
}

export const PortHandles = memo(PortHandlesView);
