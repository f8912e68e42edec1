/**
 * @file The start screen: create a project from a template (those not built yet shown as coming
 * soon), or open one: recent, in the workspace, or any folder.
 */
import { memo, useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf, TemplateName } from '../../core/contract/studio';
import { notify } from '../state/noticeStore';
import { useStudioStore } from '../state/studioStore';
import { BrandMark } from './BrandMark';
import { describeError } from './describeError';
import { ProjectList } from './ProjectList';
import { useStudio } from './studioContext';

type TemplateInfo = ResponseOf<'listTemplates'>[number];
type ProjectSummary = ResponseOf<'listRecentProjects'>[number];

interface Listings {
  templates: TemplateInfo[];
  recent: ProjectSummary[];
  workspace: ProjectSummary[];
}

function StartScreenView() {
  const { studio, commands } = useStudio();
  const appInfo = useStudioStore((s) => s.appInfo);
  const [listings, setListings] = useState<Listings | null>(null);
  const [template, setTemplate] = useState<TemplateName | null>(null);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    let live = true;
    const load = async <T,>(what: string, request: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await request();
      } catch (error) {
        notify('error', describeError(error, `Could not list ${what}`));
        return [];
      }
    };
    void Promise.all([
      load('the templates', () => studio.listTemplates({})),
      load('recent projects', () => studio.listRecentProjects({})),
      load('workspace projects', () => studio.listWorkspaceProjects({})),
    ]).then(([templates, recent, workspace]) => {
      if (!live) return;
      setListings({ templates, recent, workspace });
      setTemplate((chosen) => chosen ?? templates.find((t) => t.available)?.name ?? null);
    });
    return () => {
      live = false;
    };
  }, [studio]);

  const chosen = listings?.templates.find((t) => t.name === template);
  const canCreate = Boolean(chosen?.available && name.trim() && !creating);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!template || !canCreate) return;
    setCreating(true);
    const created = await commands.createProject(template, name);
    if (!created) setCreating(false);
  };

  return (
    <div className="start" data-testid="start-screen">
      <header className="start__header">
        <BrandMark size={30} />
        <div>
          <h1 className="start__title">Brrr Studio</h1>
          <p className="start__subtitle">Draw a network, train it on your machine, take the weights away.</p>
        </div>
        <span className="start__version">{appInfo ? `v${appInfo.version}` : ''}</span>
      </header>

      <main className="start__body">
        <section className="start__new" aria-labelledby="new-project-heading">
          <h2 id="new-project-heading" className="section-title">
            New project
          </h2>
          <p className="section-lead">Start from a template. Every one is a complete, trainable project.</p>
          <div className="template-grid" role="radiogroup" aria-label="Template">
            {(listings?.templates ?? []).map((t) => (
              <button
                key={t.name}
                type="button"
                role="radio"
                aria-checked={template === t.name}
                className={`template-card${template === t.name ? ' is-selected' : ''}`}
                disabled={!t.available}
                onClick={() => setTemplate(t.name)}
                data-testid={`template-${t.name}`}
              >
                <span className="template-card__head">
                  <span className="template-card__title">{t.title}</span>
                  {!t.available && <span className="badge">Coming soon</span>}
                </span>
                <span className="template-card__description">{t.description}</span>
              </button>
            ))}
            {!listings && <div className="muted">Loading templates…</div>}
          </div>
          <form className="new-project-form" onSubmit={create}>
            <label className="field field--grow">
              <span className="field__label">Project name</span>
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="My model" maxLength={120} data-testid="new-project-name" />
            </label>
            <button type="submit" className="button button--primary button--tall" disabled={!canCreate} data-testid="create-project">
              {creating ? 'Creating…' : 'Create project'}
            </button>
          </form>
          {chosen && appInfo && <p className="field__hint">Created in {appInfo.workspaceDir}</p>}
        </section>

        <aside className="start__open" aria-label="Open a project">
          <div className="start__open-head">
            <h2 className="section-title">Open</h2>
            <button type="button" className="button" onClick={() => void commands.open()} data-testid="open-project">
              Open folder…
            </button>
          </div>
          <ProjectList title="Recent" projects={listings?.recent} empty="Projects you open appear here." onOpen={(path) => void commands.openProject(path)} testId="recent-projects" />
          <ProjectList title="In your workspace" projects={listings?.workspace} empty="No projects in the workspace yet." onOpen={(path) => void commands.openProject(path)} testId="workspace-projects" />
        </aside>
      </main>
    </div>
  );
}

export const StartScreen = memo(StartScreenView);
