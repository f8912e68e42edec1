/**
 * @file What is selected on the canvas (nodes, edges, groups) and the hint shown while a refused
 * connection is dragged. Kept apart from the document: selecting is not an edit and is not undone.
 */
import { create } from 'zustand';

export interface SelectionState {
  nodeIds: ReadonlySet<string>;
  edgeIds: ReadonlySet<string>;
  groupIds: ReadonlySet<string>;
  /** Why the connection being dragged would be refused; null when it is fine or none is dragged. */
  connectionHint: string | null;
  select(selection: { nodeIds?: Iterable<string>; edgeIds?: Iterable<string>; groupIds?: Iterable<string> }): void;
  clear(): void;
  setConnectionHint(hint: string | null): void;
}

const none: ReadonlySet<string> = new Set();

export const useSelectionStore = create<SelectionState>()((set) => ({
  nodeIds: none,
  edgeIds: none,
  groupIds: none,
  connectionHint: null,
  select: ({ nodeIds, edgeIds, groupIds }) => set({ nodeIds: new Set(nodeIds ?? []), edgeIds: new Set(edgeIds ?? []), groupIds: new Set(groupIds ?? []) }),
  clear: () => set({ nodeIds: none, edgeIds: none, groupIds: none }),
  setConnectionHint: (connectionHint) => set((s) => (s.connectionHint === connectionHint ? {} : { connectionHint })),
}));
