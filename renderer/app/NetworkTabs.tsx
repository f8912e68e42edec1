/** @file One tab per network of the project (a GAN has two); the active one is drawn on the canvas. */
import { memo } from 'react';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';

function NetworkTabsView() {
  const networks = useStudioStore((s) => s.document?.project.networks);
  const activeId = useStudioStore((s) => selectActiveNetwork(s)?.id);
  const setActive = useStudioStore((s) => s.setActiveNetwork);
  return (
    <nav className="tabs" role="tablist" aria-label="Networks">
      {(networks ?? []).map((network) => (
        <button
          key={network.id}
          type="button"
          role="tab"
          aria-selected={network.id === activeId}
          className={`tab${network.id === activeId ? ' is-active' : ''}`}
          onClick={() => setActive(network.id)}
          data-testid={`network-tab-${network.id}`}
        >
          {network.name}
          <span className="tab__count">{network.nodes.length}</span>
        </button>
      ))}
    </nav>
  );
}

export const NetworkTabs = memo(NetworkTabsView);
