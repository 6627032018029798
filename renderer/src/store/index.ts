// The one bound store; components import useAppStore from here, never zustand directly.
import { create } from 'zustand';
import {
  createAnalysisSlice,
  createJobsSlice,
  createMessagesSlice,
  createSelectionSlice,
  createSettingsSlice,
  createUiSlice,
  createWorkspaceSlice,
} from './slices.js';
import type { AppState } from './types.js';

export const useAppStore = create<AppState>()((...a) => ({
  ...createWorkspaceSlice(...a),
  ...createMessagesSlice(...a),
  ...createSelectionSlice(...a),
  ...createSettingsSlice(...a),
  ...createJobsSlice(...a),
  ...createUiSlice(...a),
  ...createAnalysisSlice(...a),
}));

export type { AppState, ViewName, Banner, Theme } from './types.js';
