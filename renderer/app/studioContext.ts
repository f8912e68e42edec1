/** @file The studio client and the commands built on it, handed to components through React context. */
import { createContext, useContext } from 'react';
import type { StudioApi } from '../../core/contract/studio';
import type { StudioCommands } from './commands';

export interface StudioContextValue {
  studio: StudioApi;
  commands: StudioCommands;
}

export const StudioContext = createContext<StudioContextValue | null>(null);

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio() needs <StudioContext.Provider> above it.');
  return value;
}
