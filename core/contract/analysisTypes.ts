// Contract types of the analysis views (issues 5 and 7): apply kit, version presets, tuning sweep,
// audit, report export, supported-configuration check, mailbox profile tags and the E-mail Router
// mode. Results are the pure analysis modules' own result types, re-exported so the renderer, the
// CLI and the reports all read the same shapes. Type-only imports: nothing here runs.
import type { ApplyKit } from '../analysis/applyKit.js';
import type { AuditResult } from '../analysis/audit.js';
import type { Preset, SettingChange as PresetSettingChange } from '../analysis/presets.js';
import type { ReportKind } from '../analysis/report.js';
import type { RuleInfo, MailboxProfileTag, ReplayWarning, SupportConfig, SupportReport } from '../analysis/supportCheck.js';
import type { PointDrill, SweepResult, SweptKey } from '../analysis/sweep.js';
import type { WhatIfResult as AnalysisWhatIfResult } from '../analysis/whatif.js';
import type { RouterComparison, RouterDecision, SinkView } from '../router/index.js';
import type { Settings } from '../engine/index.js';

export type { PointDrill, ApplyKit, AuditResult, SweepResult, SweptKey, SupportConfig, SupportReport, RuleInfo, MailboxProfileTag, ReplayWarning, RouterDecision, SinkView, RouterComparison, ReportKind };

export interface ApplyKitRequest {
  baseline: string;
  proposal: string;
  /** e.g. https://contoso.crm.dynamics.com; a placeholder is used when absent. */
  organizationUri?: string;
  organizationId?: string;
  /** The what-if's effect lines (WhatIfResult.effectLines), written into the change note. */
  measuredEffect?: string[];
}

export type PresetInfo = Pick<Preset, 'name' | 'title' | 'description' | 'behaviour' | 'notes' | 'sources' | 'delivery'> & {
  /** The preset applied onto the simulator's defaults. */
  settings: Settings;
};

export interface PresetComparisonView {
  before: string;
  after: string;
  settingChanges: PresetSettingChange[];
  changed: { key: string; subject: string; summary: string }[];
  unchangedCount: number;
  countsBefore: Partial<Record<string, number>>;
  countsAfter: Partial<Record<string, number>>;
}

/** A sweep grid as the app's editor sends it (same shape as the CLI's --grid file). */
export interface SweepGridInput {
  /** Cartesian product: setting → values (hashfilterkeywords may name a variant: default, out-of-office, auto-replies). */
  product?: Partial<Record<SweptKey, (number | string)[]>>;
  points?: Partial<Record<SweptKey, number | string>>[];
}

export interface SweepRequest {
  jobId?: string;
  /** Settings profile every point starts from (default: the baseline profile). */
  profile?: string;
  /** Omitted: the CLI's default 25-point grid. */
  grid?: SweepGridInput;
}

export interface SweepDefaults {
  keywordVariants: Record<string, string>;
  sweptKeys: SweptKey[];
  /** The default grid's points count and its product part, for the editor's initial values. */
  defaultPoints: number;
  maxPoints: number;
}

export interface AuditRequest {
  jobId?: string;
  /** Dataverse email export: Web API JSON or Advanced Find / Excel CSV. */
  emails: string;
  /** Optional directory exports (contacts, accounts, leads, systemusers, queues). */
  directory?: string[];
  /** The settings profile the organization ran at the time. */
  profile: string;
}

export interface AuditView extends AuditResult {
  /** Problems of the directory files, per file and row. */
  directoryProblems: { file: string; row: number; column: string | null; problem: string }[];
  directoryImported: number;
  emailsFormat: 'json' | 'csv';
}

export type ReportFormat = 'html' | 'json' | 'csv';

export interface ReportExportRequest {
  kind: ReportKind;
  format: ReportFormat;
  path: string;
  /** Replace an existing file (after the user confirmed a FILE_EXISTS answer). Never the workspace or a source. */
  overwrite?: boolean;
}

export interface MailboxTagEntry {
  mailbox: string;
  tag: MailboxProfileTag;
  updatedAt: string;
}

export interface ReplayWarningsView {
  runId: number | null;
  mailboxes: { mailbox: string; tag: MailboxProfileTag; warnings: ReplayWarning[] }[];
}

export interface RouterScenarioSummary {
  id: string;
  title: string;
  lesson: string;
  preset: string;
  sink: string;
  messageCount: number;
  error?: string;
}

export interface RouterStepView {
  id: string;
  preset: string;
  index: number;
  total: number;
  decision: RouterDecision;
  headline: string;
  explanation: string[];
  /** The sink mailbox after this message was processed. */
  sink: SinkView;
  countsByFate: Partial<Record<string, number>>;
  /** Expected fields of the scenario for this file the replay disagrees with (empty: all hold). */
  mismatches: { key: string; expected: unknown; actual: unknown }[];
}

/** The what-if with every change attributed by replay and every link graded (core/analysis/whatif.ts). */
export interface WhatIfExplainView extends AnalysisWhatIfResult {
  baselineName: string;
  proposalName: string;
  /** Every email a change links to or from (messages and tracked emails), as a person reads it. */
  emails: Record<string, { subject: string; date: string | null; from: string | null }>;
}

/** A sweep point to drill into: its settings as the sweep result lists them (changes from the baseline). */
export interface SweepPointRequest {
  /** The profile the sweep started from (default: the baseline profile). */
  profile?: string;
  pointId: number;
  label: string;
  /** The point's settings that differ from that profile (SweepPointResult.changes). */
  settings: Partial<Settings>;
  /** Links listed per kind (default 200). */
  limit?: number;
}
