/** @file The editor's top bar: the mark, the in-app menu (hosts without a native one), the project name and whether it is saved, the run toolbar. */
import { memo } from 'react';
import { RunToolbar } from '../runs/RunToolbar';
import { useStudioStore } from '../state/studioStore';
import { AppMenu } from './AppMenu';
import { BrandMark } from './BrandMark';
import { useStudio } from './studioContext';

function TopBarView() {
  const { commands } = useStudio();
  const nativeMenu = useStudioStore((s) => s.appInfo?.capabilities.nativeMenu ?? false);
  const name = useStudioStore((s) => s.document?.project.name ?? '');
  const dirty = useStudioStore((s) => s.document?.dirty ?? false);
  const saving = useStudioStore((s) => s.saving);
  return (
    <header className="topbar">
      <BrandMark />
      {!nativeMenu && <AppMenu />}
      <div className="topbar__title">
        <span className="topbar__name" data-testid="project-name">
          {name}
        </span>
        <span className={`dirty${dirty ? ' is-dirty' : ''}`} data-testid="dirty-indicator" data-dirty={dirty} title={dirty ? 'Unsaved changes' : 'All changes saved'}>
          <span className="dirty__dot" aria-hidden="true" />
          {saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved'}
        </span>
      </div>
      <div className="topbar__actions">
        <RunToolbar />
        <button type="button" className="button button--primary button--small" disabled={!dirty || saving} onClick={() => void commands.save()} data-testid="save-button">
          Save
        </button>
      </div>
    </header>
  );
}

export const TopBar = memo(TopBarView);
