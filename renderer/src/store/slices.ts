// Typed slices of the one store (zustand "slices pattern"). The store holds UI and session state and
// cached pages of the message list; it never mirrors the workspace database.
import type { StateCreator } from 'zustand';
import { ApiError } from '../api.js';
import type {
  AnalysisSlice,
  AppState,
  JobsSlice,
  MessagesSlice,
  SelectionSlice,
  SettingsSlice,
  Theme,
  UiSlice,
  WorkspaceSlice,
} from './types.js';

type Slice<T> = StateCreator<AppState, [], [], T>;

export const createWorkspaceSlice: Slice<WorkspaceSlice> = (set) => ({
  workspace: null,
  recent: [],
  runs: [],
  pendingImport: [],
  setPendingImport: (pendingImport) => set({ pendingImport }),
  setWorkspace: (workspace) => set({ workspace }),
  setRecent: (recent) => set({ recent }),
  setRuns: (runs) => set({ runs }),
});

export const createMessagesSlice: Slice<MessagesSlice> = (set) => ({
  filter: {},
  sort: { key: 'date', dir: 'asc' },
  generation: 0,
  total: null,
  pages: {},
  loading: false,
  setFilter: (patch) =>
    set((s) => ({ filter: { ...s.filter, ...patch }, generation: s.generation + 1, pages: {}, total: s.total, activeIndex: 0 })),
  setSort: (key) =>
    set((s) => ({
      sort: { key, dir: s.sort.key === key && s.sort.dir === 'asc' ? 'desc' : 'asc' },
      generation: s.generation + 1,
      pages: {},
    })),
  resetMessages: () => set((s) => ({ generation: s.generation + 1, pages: {}, total: null })),
  storePage: (generation, page, rows, total) =>
    set((s) => (s.generation === generation ? { pages: { ...s.pages, [page]: rows }, total } : {})),
});

export const createSelectionSlice: Slice<SelectionSlice> = (set) => ({
  view: 'start',
  selectedKey: null,
  activeIndex: 0,
  candidateId: null,
  focusSetting: null,
  setView: (view) => set({ view }),
  select: (selectedKey, view) => set((s) => ({ selectedKey, candidateId: null, view: view ?? s.view })),
  setActiveIndex: (activeIndex) => set({ activeIndex }),
  setCandidate: (candidateId) => set({ candidateId }),
  showSetting: (focusSetting) => set({ focusSetting, view: 'settings' }),
});

export const createSettingsSlice: Slice<SettingsSlice> = (set) => ({
  profiles: [],
  draft: null,
  whatIf: null,
  setProfiles: (profiles) => set({ profiles }),
  setDraft: (draft) => set({ draft, whatIf: null }),
  editDraft: (name, value) => set((s) => (s.draft ? { draft: { ...s.draft, [name]: value }, whatIf: null } : {})),
  setWhatIf: (whatIf) => set({ whatIf }),
});

export const createJobsSlice: Slice<JobsSlice> = (set) => ({
  jobs: {},
  updateJob: (progress) => set((s) => ({ jobs: { ...s.jobs, [progress.jobId]: progress } })),
  finishJob: (jobId) =>
    set((s) => {
      const jobs = { ...s.jobs };
      delete jobs[jobId];
      return { jobs };
    }),
});

const THEME_KEY = 'synclens.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let bannerId = 0;

export const createUiSlice: Slice<UiSlice> = (set) => ({
  theme: initialTheme(),
  banners: [],
  toggleTheme: () =>
    set((s) => {
      const theme: Theme = s.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem(THEME_KEY, theme);
      return { theme };
    }),
  pushError: (error) =>
    set((s) => {
      const banner =
        error instanceof ApiError
          ? { id: ++bannerId, code: error.code, message: error.message, details: error.details }
          : { id: ++bannerId, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), details: [] };
      // The same failure repeated (e.g. a page fetch retried on scroll) should not stack banners.
      if (s.banners.some((b) => b.message === banner.message)) return {};
      return { banners: [...s.banners.slice(-3), banner] };
    }),
  dismissBanner: (id) => set((s) => ({ banners: s.banners.filter((b) => b.id !== id) })),
});

export const createAnalysisSlice: Slice<AnalysisSlice> = (set) => ({
  sweep: null,
  audit: null,
  support: null,
  setSweep: (sweep) => set({ sweep }),
  setAudit: (audit) => set({ audit }),
  setSupport: (support) => set({ support }),
});
