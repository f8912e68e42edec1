/**
 * @file The inspector: for one selected layer, its description, name, parameter fields (from the
 * registry's params schema), shapes, parameter count, FLOPs and diagnostics with fixes; for a
 * group, its name and collapse/ungroup; with nothing selected, the network's totals and every
 * problem in it.
 */
import { memo } from 'react';
import { layerByType } from '../../core/layers';
import { formatShape } from '../../core/layers';
import type { Network } from '../../core/project/schema';
import { formatCount } from '../canvas/formatCount';
import { groupSelection } from '../canvas/editorActions';
import { setLabel, setParam } from '../graph/edits';
import { renameGroup, setGroupCollapsed, ungroup } from '../graph/groups';
import { useProjectAnalysis } from '../state/analysis';
import { useSelectionStore } from '../state/selectionStore';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';
import { DiagnosticList } from './DiagnosticList';
import { ParamWidget } from './paramWidgets';

function InspectorView() {
  const network = useStudioStore(selectActiveNetwork);
  const { nodeIds, groupIds, edgeIds } = useSelectionStore();
  if (!network) return null;
  const node = nodeIds.size === 1 && groupIds.size === 0 ? network.nodes.find((n) => nodeIds.has(n.id)) : undefined;
  const group = groupIds.size === 1 && nodeIds.size === 0 ? network.groups.find((g) => groupIds.has(g.id)) : undefined;
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {node ? <NodeInspector network={network} nodeId={node.id} /> : group ? <GroupInspector network={network} groupId={group.id} /> : <NetworkSummary network={network} selected={nodeIds.size + edgeIds.size + groupIds.size} />}
    </aside>
  );
}

function NodeInspector({ network, nodeId }: { network: Network; nodeId: string }) {
  const editNetwork = useStudioStore((s) => s.editNetwork);
  const analysis = useProjectAnalysis()?.networks[network.id];
  const node = network.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const layer = layerByType.get(node.type);
  const a = analysis?.nodes[node.id];
  const diagnostics = analysis?.diagnostics.filter((d) => d.nodeId === node.id) ?? [];
  return (
    <div className="inspector__body" data-testid={`inspector-${node.id}`}>
      <header className="inspector__head">
        <h2 className="inspector__title">{layer?.ui.label ?? node.type}</h2>
        <span className="inspector__sub">{node.id}</span>
      </header>
      {layer && <p className="inspector__doc">{layer.ui.doc}</p>}
      <label className="inspector__field">
        <span className="field__label">Name</span>
        <input className="input input--small" value={node.label ?? ''} placeholder={node.id} onChange={(e) => editNetwork((n) => setLabel(n, node.id, e.target.value), { coalesce: `label:${node.id}` })} data-testid="node-label" />
      </label>
      {layer && Object.keys(layer.params).length > 0 && (
        <section className="inspector__section">
          <h3 className="inspector__heading">Parameters</h3>
          {Object.entries(layer.params).map(([name, spec]) => (
            <div className="inspector__field" key={`${node.id}:${name}`} title={spec.doc}>
              <label className="field__label" htmlFor={name}>
                {name}
              </label>
              <ParamWidget id={name} spec={spec} value={node.params[name] ?? spec.default} onChange={(value) => editNetwork((n) => setParam(n, node.id, name, value), { coalesce: `param:${node.id}:${name}` })} />
              {spec.doc && <span className="field__hint">{spec.doc}</span>}
            </div>
          ))}
        </section>
      )}
      <section className="inspector__section">
        <h3 className="inspector__heading">Shapes</h3>
        {a ? (
          <dl className="inspector__facts" data-testid="node-shapes">
            {Object.entries(a.inputs).map(([port, t]) => (
              <Fact key={`in:${port}`} name={`in ${port}`} value={`${formatShape(t.shape)} ${t.dtype}`} />
            ))}
            {Object.entries(a.outputs).map(([port, t]) => (
              <Fact key={`out:${port}`} name={`out ${port}`} value={`${formatShape(t.shape)} ${t.dtype}`} />
            ))}
            <Fact name="parameters" value={a.paramCount.toLocaleString('en-US')} />
            <Fact name="FLOPs / example" value={formatCount(a.flops)} />
          </dl>
        ) : (
          <p className="muted inspector__empty">Unknown until its inputs are connected and valid.</p>
        )}
      </section>
      <section className="inspector__section">
        <h3 className="inspector__heading">Problems</h3>
        <DiagnosticList diagnostics={diagnostics} empty="None." />
      </section>
    </div>
  );
}

function GroupInspector({ network, groupId }: { network: Network; groupId: string }) {
  const editNetwork = useStudioStore((s) => s.editNetwork);
  const group = network.groups.find((g) => g.id === groupId);
  if (!group) return null;
  return (
    <div className="inspector__body" data-testid={`inspector-group-${group.id}`}>
      <header className="inspector__head">
        <h2 className="inspector__title">{group.name}</h2>
        <span className="inspector__sub">group of {group.nodeIds.length} layers</span>
      </header>
      <label className="inspector__field">
        <span className="field__label">Name</span>
        <input className="input input--small" value={group.name} onChange={(e) => editNetwork((n) => renameGroup(n, group.id, e.target.value), { coalesce: `group:${group.id}` })} data-testid="group-name" />
      </label>
      <div className="inspector__actions">
        <button type="button" className="button button--small" onClick={() => editNetwork((n) => setGroupCollapsed(n, group.id, !group.collapsed))}>
          {group.collapsed ? 'Expand' : 'Collapse'}
        </button>
        <button type="button" className="button button--small" onClick={() => editNetwork((n) => ungroup(n, group.id))}>
          Ungroup
        </button>
      </div>
      <p className="field__hint">Copy (Ctrl+C) and paste (Ctrl+V) the group to reuse it, here or in another project.</p>
    </div>
  );
}

function NetworkSummary({ network, selected }: { network: Network; selected: number }) {
  const analysis = useProjectAnalysis();
  const a = analysis?.networks[network.id];
  const diagnostics = [...(a?.diagnostics ?? []), ...(analysis?.diagnostics.filter((d) => !d.networkId) ?? [])];
  return (
    <div className="inspector__body" data-testid="network-summary">
      <header className="inspector__head">
        <h2 className="inspector__title">{network.name}</h2>
        <span className="inspector__sub">{selected > 0 ? `${selected} selected` : 'network'}</span>
      </header>
      <dl className="inspector__facts" data-testid="network-totals">
        <Fact name="layers" value={String(network.nodes.length)} />
        <Fact name="parameters" value={(a?.totals.params ?? 0).toLocaleString('en-US')} />
        <Fact name="FLOPs / example" value={formatCount(a?.totals.flops ?? 0)} />
      </dl>
      {selected > 1 && (
        <div className="inspector__actions">
          <button type="button" className="button button--small" onClick={() => void groupSelection()} data-testid="group-selection">
            Group selection
          </button>
        </div>
      )}
      <section className="inspector__section">
        <h3 className="inspector__heading">Problems</h3>
        <DiagnosticList diagnostics={diagnostics} empty="No problems: every shape fits." />
      </section>
      <p className="field__hint inspector__keys">Drag layers from the left. Delete · Ctrl+C/V/D · Ctrl+Z/Shift+Z · Ctrl+A · Ctrl+G group · F fit · L layout</p>
    </div>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div className="fact">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export const Inspector = memo(InspectorView);
