// The latest result of each report kind (what-if, sweep, audit), which report.export writes (what the
// CLI's --json holds). They belong to the open workspace: opening another one clears them.
import { envelope, type ReportEnvelope, type ReportKind } from '../../core/analysis/report.js';
import type { WhatIfResult as AnalysisWhatIf } from '../../core/analysis/whatif.js';

export class LatestResults {
  private readonly byKind = new Map<ReportKind, ReportEnvelope>();
  set(env: ReportEnvelope): void {
    this.byKind.set(env.kind, env);
  }
  get(kind: ReportKind): ReportEnvelope | undefined {
    return this.byKind.get(kind);
  }
  clear(): void {
    this.byKind.clear();
  }
  whatIf(result: AnalysisWhatIf, source: Record<string, string>): void {
    this.set(envelope('whatif', result, { source }));
  }
}
