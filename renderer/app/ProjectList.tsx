/** @file A titled list of projects (name, folder, when modified), each opening on click. */
import { memo } from 'react';
import type { ResponseOf } from '../../core/contract/studio';

type ProjectSummary = ResponseOf<'listRecentProjects'>[number];

interface ProjectListProps {
  title: string;
  projects: ProjectSummary[] | undefined;
  empty: string;
  onOpen(path: string): void;
  testId: string;
}

function ProjectListView({ title, projects, empty, onOpen, testId }: ProjectListProps) {
  return (
    <section className="project-list" data-testid={testId}>
      <h3 className="project-list__title">{title}</h3>
      {projects === undefined ? (
        <p className="muted">Loading…</p>
      ) : projects.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul>
          {projects.map((p) => (
            <li key={p.path}>
              <button type="button" className="project-row" onClick={() => onOpen(p.path)} title={p.path}>
                <span className="project-row__name">{p.name}</span>
                <span className="project-row__meta">
                  <span className="project-row__path">{p.path}</span>
                  <span className="project-row__time">{formatModified(p.modifiedAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** `just now`, `5 min ago`, `3 h ago`, or the date. */
export function formatModified(iso: string, now = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const minutes = Math.round((now - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(time).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export const ProjectList = memo(ProjectListView);
