/**
 * @file A group on the canvas: expanded, a titled frame behind its members; collapsed, one card
 * with the group's external ports as handles. The button toggles between the two.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useStudioStore } from '../state/studioStore';
import { setGroupCollapsed } from '../graph/groups';
import { formatCount } from './formatCount';
import { PortHandles } from './PortHandles';
import type { GroupFlowNode } from './projectGraph';

function GroupNodeView({ data, selected }: NodeProps<GroupFlowNode>) {
  const editNetwork = useStudioStore((s) => s.editNetwork);
  const { group, size, view } = data;
  const toggle = (): void => editNetwork((n) => setGroupCollapsed(n, group.id, !group.collapsed));
  const button = (
    <button type="button" className="group-node__toggle nodrag" onClick={toggle} title={group.collapsed ? 'Expand the group' : 'Collapse the group into one node'} data-testid={`group-toggle-${group.id}`}>
      {group.collapsed ? '▸' : '▾'}
    </button>
  );
  if (!group.collapsed) {
    return (
      <div className={`group-frame${selected ? ' is-selected' : ''}`} style={{ width: size.width, height: size.height }} data-testid={`group-${group.id}`}>
        <div className="group-frame__title">
          {button}
          <span>{group.name}</span>
        </div>
      </div>
    );
  }
  return (
    <div className={`layer-node group-node${selected ? ' is-selected' : ''}${view?.issues ? ' has-error' : ''}`} data-testid={`group-${group.id}`}>
      <div className="layer-node__header">
        <span className="layer-node__type">
          {button} {group.name}
        </span>
        <span className="layer-node__name">
          {group.nodeIds.length} layers{view ? ` · ${formatCount(view.paramCount)} p` : ''}
        </span>
      </div>
      <div className="group-node__ports" style={{ height: Math.max(data.ports.inputs.length, data.ports.outputs.length) * 18 }} />
      <PortHandles ports={data.ports.inputs} optional={data.ports.optional} kind="target" defaultPort="" names={data.portNames} />
      <PortHandles ports={data.ports.outputs} kind="source" defaultPort="" names={data.portNames} />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
