/**
 * @file One tab per network of the project (a GAN has two); the active one is drawn on the
 * canvas. Add a network with +, rename one by double-clicking its tab, delete one with its ×.
 */
import { memo } from 'react';
import { addNetwork, deleteNetwork, renameNetwork } from '../graph/networks';
import { askConfirm, askText } from '../state/dialogStore';
import { useSelectionStore } from '../state/selectionStore';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';

function NetworkTabsView() {
  const networks = useStudioStore((s) => s.document?.project.networks);
  const activeId = useStudioStore((s) => selectActiveNetwork(s)?.id);
  const setActive = useStudioStore((s) => s.setActiveNetwork);
  const editProject = useStudioStore((s) => s.editProject);

  const choose = (id: string): void => {
    useSelectionStore.getState().clear();
    setActive(id);
  };
  const add = async (): Promise<void> => {
    const name = await askText({ title: 'Add a network', label: 'Network name', initial: `Network ${(networks?.length ?? 0) + 1}`, confirmLabel: 'Add', hint: 'A GAN, for example, has a generator and a discriminator.' });
    if (!name?.trim()) return;
    const project = useStudioStore.getState().document?.project;
    if (!project) return;
    const added = addNetwork(project, name);
    useSelectionStore.getState().clear();
    editProject(() => added.project, { activeNetworkId: added.networkId });
  };
  const rename = async (id: string, current: string): Promise<void> => {
    const name = await askText({ title: 'Rename network', label: 'Network name', initial: current, confirmLabel: 'Rename' });
    if (name?.trim()) editProject((p) => renameNetwork(p, id, name));
  };
  const remove = async (id: string, name: string): Promise<void> => {
    const ok = await askConfirm({ title: `Delete network "${name}"?`, message: 'Its layers and connections are removed from the project (Undo brings them back).', confirmLabel: 'Delete network', danger: true });
    if (!ok) return;
    const project = useStudioStore.getState().document?.project;
    const next = project && deleteNetwork(project, id);
    if (next) editProject(() => next, { activeNetworkId: next.networks[0]?.id ?? '' });
  };

  return (
    <nav className="tabs" role="tablist" aria-label="Networks">
      {(networks ?? []).map((network) => (
        <div key={network.id} className={`tab${network.id === activeId ? ' is-active' : ''}`}>
          <button
            type="button"
            role="tab"
            aria-selected={network.id === activeId}
            className="tab__button"
            onClick={() => choose(network.id)}
            onDoubleClick={() => void rename(network.id, network.name)}
            title="Double-click to rename"
            data-testid={`network-tab-${network.id}`}
          >
            {network.name}
            <span className="tab__count">{network.nodes.length}</span>
          </button>
          {(networks?.length ?? 0) > 1 && (
            <button type="button" className="tab__close" onClick={() => void remove(network.id, network.name)} aria-label={`Delete network ${network.name}`} data-testid={`network-delete-${network.id}`}>
              ×
            </button>
          )}
        </div>
      ))}
      <button type="button" className="tab tab--add" onClick={() => void add()} title="Add a network" data-testid="network-add">
        +
      </button>
    </nav>
  );
}

export const NetworkTabs = memo(NetworkTabsView);
