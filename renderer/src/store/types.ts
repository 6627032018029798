import type {
  AuditView,
  JobProgress,
  SupportReport,
  SweepResult,
  MessageFilter,
  MessageRow,
  RecentWorkspace,
  RunSummary,
  SettingsProfile,
  SortKey,
  WhatIfResult,
  WorkspaceInfo,
} from '../../../core/contract/contract.js';
import type { Settings } from '../../../core/engine/index.js';

export type ViewName = 'start' | 'messages' | 'message' | 'chain' | 'hash' | 'tokens' | 'settings' | 'training' | 'sweep' | 'audit' | 'support' | 'mailboxes' | 'connect';

export interface Banner {
  id: number;
  code: string;
  message: string;
  details: string[];
}

export interface WorkspaceSlice {
  workspace: WorkspaceInfo | null;
  recent: RecentWorkspace[];
  runs: RunSummary[];
  /** Paths dropped on the window or chosen from the menu, waiting in the import form. */
  pendingImport: string[];
  setPendingImport: (paths: string[]) => void;
  setWorkspace: (info: WorkspaceInfo | null) => void;
  setRecent: (recent: RecentWorkspace[]) => void;
  setRuns: (runs: RunSummary[]) => void;
}

export interface MessagesSlice {
  filter: MessageFilter;
  sort: { key: SortKey; dir: 'asc' | 'desc' };
  /** Bumped whenever the query or the data changes; pages from an older generation are dropped. */
  generation: number;
  total: number | null;
  pages: Record<number, MessageRow[]>;
  loading: boolean;
  setFilter: (patch: Partial<MessageFilter>) => void;
  setSort: (key: SortKey) => void;
  resetMessages: () => void;
  storePage: (generation: number, page: number, rows: MessageRow[], total: number) => void;
}

export interface SelectionSlice {
  view: ViewName;
  selectedKey: string | null;
  /** Row the keyboard cursor is on in the messages table. */
  activeIndex: number;
  candidateId: string | null;
  focusSetting: string | null;
  setView: (view: ViewName) => void;
  select: (key: string | null, view?: ViewName) => void;
  setActiveIndex: (index: number) => void;
  setCandidate: (id: string | null) => void;
  showSetting: (name: string) => void;
}

export interface SettingsSlice {
  profiles: SettingsProfile[];
  draft: Settings | null;
  whatIf: WhatIfResult | null;
  setProfiles: (profiles: SettingsProfile[]) => void;
  setDraft: (draft: Settings | null) => void;
  editDraft: <K extends keyof Settings>(name: K, value: Settings[K]) => void;
  setWhatIf: (result: WhatIfResult | null) => void;
}

export interface JobsSlice {
  jobs: Record<string, JobProgress>;
  updateJob: (progress: JobProgress) => void;
  finishJob: (jobId: string) => void;
}

export type Theme = 'light' | 'dark';

export interface UiSlice {
  theme: Theme;
  banners: Banner[];
  toggleTheme: () => void;
  pushError: (error: unknown) => void;
  dismissBanner: (id: number) => void;
}

/** Results of the analysis views, kept while the user visits other views (cleared with the workspace). */
export interface AnalysisSlice {
  sweep: SweepResult | null;
  audit: AuditView | null;
  support: SupportReport | null;
  setSweep: (r: SweepResult | null) => void;
  setAudit: (r: AuditView | null) => void;
  setSupport: (r: SupportReport | null) => void;
}

export type AppState = WorkspaceSlice & MessagesSlice & SelectionSlice & SettingsSlice & JobsSlice & UiSlice & AnalysisSlice;
