// @vitest-environment jsdom
/** @file Unsaved changes veto closing the page on every host (the desktop shell turns the veto into a dialog). */
import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../core/contract/studio';
import { findTemplate } from '../../core/templates';
import { createCommands } from '../../renderer/app/commands';
import { useUnsavedWork } from '../../renderer/app/useUnsavedWork';
import { useStudioStore } from '../../renderer/state/studioStore';

afterEach(cleanup);

function leave(): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('leaving with unsaved changes', () => {
  it('is vetoed while the project is dirty, and allowed once nothing is unsaved', () => {
    const project = findTemplate('neuron')!.build('N');
    useStudioStore.getState().openDocument({ path: '/ws/n', project });
    const { unmount } = renderHook(() => useUnsavedWork(createCommands({} as StudioApi), true));
    expect(leave()).toBe(false);
    useStudioStore.getState().editProject((p) => ({ ...p, description: 'changed' }));
    expect(useStudioStore.getState().document?.dirty).toBe(true);
    expect(leave()).toBe(true);
    useStudioStore.getState().undo();
    expect(leave()).toBe(false);
    unmount();
  });
});
