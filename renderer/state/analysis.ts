/**
 * @file Live validation and shape inference: core/model's `analyzeProject`, once per project
 * value (cached by identity, so the canvas, inspector and status bar share one run). The editor
 * reads it through `useDeferredValue`, which keeps typing responsive on large graphs.
 */
import { useDeferredValue } from 'react';
import { analyzeProject, type NetworkAnalysis, type ProjectAnalysis } from '../../core/model';
import type { Project } from '../../core/project/schema';
import { useStudioStore } from './studioStore';

const cache = new WeakMap<Project, ProjectAnalysis>();

export function analysisOf(project: Project): ProjectAnalysis {
  let analysis = cache.get(project);
  if (!analysis) {
    analysis = analyzeProject(project);
    cache.set(project, analysis);
  }
  return analysis;
}

/** The analysis of the open project (lagging a frame behind fast edits), or null. */
export function useProjectAnalysis(): ProjectAnalysis | null {
  const project = useStudioStore((s) => s.document?.project ?? null);
  const deferred = useDeferredValue(project);
  return deferred ? analysisOf(deferred) : null;
}

export function useNetworkAnalysis(networkId: string | undefined): NetworkAnalysis | undefined {
  const analysis = useProjectAnalysis();
  return networkId ? analysis?.networks[networkId] : undefined;
}
