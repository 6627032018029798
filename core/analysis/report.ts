// Reports for what-if, sweep and audit results: a JSON envelope (what `report` reads back), CSV for a
// spreadsheet, and a self-contained HTML page an auditor can file: inline CSS, inline SVG charts, no
// scripts, no external loads (a Content-Security-Policy forbids them), every email-derived string escaped.
// Pure: results in, strings out.

import type { AuditResult } from './audit.js';
import type { SweepResult } from './sweep.js';
import type { WhatIfResult } from './whatif.js';

export type ReportKind = 'whatif' | 'sweep' | 'audit';

export interface ReportMeta {
  /** e.g. the workspace file and the settings profiles used. */
  title?: string;
  source?: Record<string, string>;
  generatedAt?: string;
}

export type ReportEnvelope =
  | { format: 'synclens-report'; version: 1; kind: 'whatif'; meta: ReportMeta; result: WhatIfResult }
  | { format: 'synclens-report'; version: 1; kind: 'sweep'; meta: ReportMeta; result: SweepResult }
  | { format: 'synclens-report'; version: 1; kind: 'audit'; meta: ReportMeta; result: AuditResult };

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

export function envelope(kind: 'whatif', result: WhatIfResult, meta?: ReportMeta): ReportEnvelope;
export function envelope(kind: 'sweep', result: SweepResult, meta?: ReportMeta): ReportEnvelope;
export function envelope(kind: 'audit', result: AuditResult, meta?: ReportMeta): ReportEnvelope;
export function envelope(kind: ReportKind, result: WhatIfResult | SweepResult | AuditResult, meta: ReportMeta = {}): ReportEnvelope {
  return { format: 'synclens-report', version: 1, kind, meta: { generatedAt: new Date().toISOString(), ...meta }, result } as ReportEnvelope;
}

/** Reads a saved report JSON back, checking the envelope (the result itself is trusted as SyncLens wrote it). */
export function parseEnvelope(text: string, file: string): ReportEnvelope {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new ReportError(`${file}: not valid JSON (${(e as Error).message})`); }
  const o = raw as Partial<ReportEnvelope> | null;
  if (!o || typeof o !== 'object' || o.format !== 'synclens-report') throw new ReportError(`${file}: not a SyncLens report (expected "format": "synclens-report"; write one with whatif/sweep/audit --json)`);
  if (o.version !== 1) throw new ReportError(`${file}: report version ${String(o.version)} is not supported (this build reads version 1)`);
  if (o.kind !== 'whatif' && o.kind !== 'sweep' && o.kind !== 'audit') throw new ReportError(`${file}: unknown report kind ${JSON.stringify(o.kind)} (expected whatif, sweep or audit)`);
  if (!o.result || typeof o.result !== 'object') throw new ReportError(`${file}: the report has no result`);
  return o as ReportEnvelope;
}

// ---------------------------------------------------------------- CSV

/**
 * One RFC 4180 cell. Text that a spreadsheet would run as a formula (= + - @, tab, CR at the start) gets
 * a leading apostrophe: subjects and addresses come from outside and must not execute.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function whatIfCsv(r: WhatIfResult): string {
  const groups = new Map(r.groups.map((g) => [g.id, g.sentence]));
  return csv(
    ['key', 'subject', 'from', 'change', 'cause', 'settings', 'knock_on', 'changed_fields',
      'before_outcome', 'after_outcome', 'before_method', 'after_method', 'before_correlated_to', 'after_correlated_to',
      'before_parent', 'after_parent', 'before_regarding', 'after_regarding', 'attribution', 'new_link', 'lost_link', 'date'],
    r.changes.map((c) => [c.key, c.subject, c.from, c.kind, groups.get(c.group) ?? '', c.settings.join(' '), c.knockOn, c.fields.join(' '),
      c.before.outcome, c.after.outcome, c.before.method, c.after.method, c.before.correlatedTo, c.after.correlatedTo,
      c.before.parent, c.after.parent, c.before.regarding, c.after.regarding,
      // Older reports (before causes were proven by replay) lack these fields: empty cells, not a crash.
      c.attribution ?? '', c.grade?.newLink ?? '', c.grade?.lostLink ?? '', c.date ?? '']),
  );
}

export function sweepCsv(r: SweepResult): string {
  const head = ['point', 'label', 'settings', 'counted', 'tracked', 'correlations', 'correct', 'false', 'missed', 'unjudged', 'precision', 'recall', 'f05',
    'gained', 'lost', 'new_false', 'smart_matched', 'smart_false', 'pareto', 'recommended', 'ms'];
  const b = r.baseline.metrics;
  const row = (id: number | string, label: string, settings: string, m: typeof b, pareto: boolean | string, rec: boolean | string, ms: number | string): unknown[] =>
    [id, label, settings, m.counted, m.tracked, m.correlations, m.correct, m.falseCorrelations, m.missed, m.unjudged, m.precision.toFixed(4), m.recall.toFixed(4), m.f05.toFixed(4),
      m.gained, m.lost, m.newFalse, m.smartMatched, m.smartFalse, pareto, rec, ms];
  return csv(head, [
    row('baseline', r.baseline.label, r.baseline.smartMatching ? 'smart matching on' : 'smart matching off', b, '', '', ''),
    ...r.points.map((p) => row(p.id, p.label, p.changes.map((c) => `${c.key}=${typeof c.value === 'string' ? c.value : String(c.value)}`).join('; '), p.metrics, p.pareto, p.recommended, p.ms)),
  ]);
}

export function auditCsv(r: AuditResult): string {
  const head = ['status', 'row', 'activity_id', 'message_id', 'subject', 'message_key',
    'dynamics_tracked', 'synclens_tracked', 'dynamics_method', 'synclens_method', 'dynamics_correlated_to', 'synclens_correlated_to',
    'dynamics_parent', 'synclens_parent', 'dynamics_regarding', 'synclens_regarding', 'differs_in', 'likely_causes'];
  const rows: unknown[][] = r.rows.map((x) => [x.agree ? 'agree' : 'disagree', x.row, x.activityId, x.messageId, x.subject, x.messageKey,
    x.dynamics.tracked, x.synclens.tracked, x.dynamics.method, x.synclens.method, x.dynamics.correlatedTo, x.synclens.correlatedTo,
    x.dynamics.parent, x.synclens.parent, x.dynamics.regarding, x.synclens.regarding,
    x.fields.filter((f) => f.comparable && !f.agree).map((f) => f.field).join(' '), x.causes.map((c) => `${c.kind}: ${c.detail}`).join(' | ')]);
  for (const u of r.unmatchedRecords) rows.push(['record-without-message', u.row, u.activityId, u.messageId, u.subject, '', true, '', '', '', '', '', '', '', '', '', '', u.reason]);
  for (const u of r.unmatchedMessages) rows.push(['message-without-record', '', '', u.messageId, u.subject, u.key, '', u.synclensTracked, '', '', '', '', '', '', '', '', '', `SyncLens: ${u.outcome}`]);
  return csv(head, rows);
}

// ---------------------------------------------------------------- HTML

/** Escapes text for HTML element content and double-quoted attribute values. */
export function esc(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--accent:#2456c7;--good:#1d7a45;--bad:#b3261e;--warn:#9a6700;--bg:#fff;--soft:#f4f6fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);font-size:12px;margin-bottom:16px}.meta span{margin-right:16px}
table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0 12px}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:140px}
.card b{display:block;font-size:20px}.card small{color:var(--muted)}
.ok{color:var(--good)}.no{color:var(--bad)}.warn{color:var(--warn)}.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;background:var(--soft);border:1px solid var(--line)}
.rec{background:#eef4ff}details{margin:2px 0}summary{cursor:pointer;color:var(--accent)}pre{white-space:pre-wrap;font-size:12px;background:var(--soft);padding:6px;margin:4px 0}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}.note{color:var(--muted);font-size:12px}
@media print{body{padding:0}details{display:block}details>*{display:block}}
`;

function page(title: string, meta: ReportMeta, body: string): string {
  const src = Object.entries(meta.source ?? {}).map(([k, v]) => `<span>${esc(k)}: ${esc(v)}</span>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
<div class="meta"><span>SyncLens report</span>${meta.generatedAt ? `<span>generated ${esc(meta.generatedAt)}</span>` : ''}${src}</div>
${body}
</body></html>
`;
}

function cards(items: [string, string | number, string?][]): string {
  return `<div class="cards">${items.map(([label, value, cls]) => `<div class="card"><small>${esc(label)}</small><b class="${esc(cls ?? '')}">${esc(value)}</b></div>`).join('')}</div>`;
}

/** Horizontal bar chart: one bar per item, labels left, counts right. */
export function barChart(items: readonly { label: string; value: number; color?: string }[], opts: { width?: number; title: string }): string {
  const width = opts.width ?? 760;
  const labelW = Math.min(360, Math.round(width * 0.45));
  const barH = 18;
  const gap = 6;
  const h = Math.max(1, items.length) * (barH + gap) + 24;
  const max = Math.max(1, ...items.map((i) => i.value));
  const trunc = (s: string): string => (s.length > 54 ? `${s.slice(0, 51)}…` : s);
  const bars = items.map((it, k) => {
    const y = 20 + k * (barH + gap);
    const w = Math.max(1, Math.round(((width - labelW - 60) * it.value) / max));
    return `<text x="${labelW - 6}" y="${y + 13}" text-anchor="end">${esc(trunc(it.label))}</text>`
      + `<rect x="${labelW}" y="${y}" width="${w}" height="${barH}" fill="${esc(it.color ?? '#2456c7')}" rx="2"><title>${esc(it.label)}: ${it.value}</title></rect>`
      + `<text x="${labelW + w + 4}" y="${y + 13}">${it.value}</text>`;
  }).join('');
  return `<svg role="img" aria-label="${esc(opts.title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" xmlns="http://www.w3.org/2000/svg"><text x="0" y="12" font-weight="600">${esc(opts.title)}</text>${items.length ? bars : '<text x="0" y="34">(nothing to show)</text>'}</svg>`;
}

/** Precision (y) against recall (x) for every sweep point; Pareto points joined, the recommended one ringed. */
export function sweepScatter(r: SweepResult, width = 620, height = 420): string {
  const pad = { l: 56, r: 16, t: 40, b: 44 };
  const all = [...r.points.map((p) => p.metrics), r.baseline.metrics];
  const lo = (xs: number[]): number => Math.max(0, Math.floor((Math.min(...xs) - 0.02) * 20) / 20);
  const xMin = lo(all.map((m) => m.recall));
  const yMin = lo(all.map((m) => m.precision));
  const X = (v: number): number => pad.l + ((v - xMin) / Math.max(1e-9, 1 - xMin)) * (width - pad.l - pad.r);
  const Y = (v: number): number => height - pad.b - ((v - yMin) / Math.max(1e-9, 1 - yMin)) * (height - pad.t - pad.b);
  const ticks = (min: number): number[] => { const out: number[] = []; for (let v = min; v <= 1.0001; v += (1 - min) / 5) out.push(v); return out; };
  const grid = ticks(xMin).map((v) => `<line x1="${X(v)}" y1="${pad.t}" x2="${X(v)}" y2="${height - pad.b}" stroke="#e5e8ef"/><text x="${X(v)}" y="${height - pad.b + 14}" text-anchor="middle">${(v * 100).toFixed(0)}%</text>`).join('')
    + ticks(yMin).map((v) => `<line x1="${pad.l}" y1="${Y(v)}" x2="${width - pad.r}" y2="${Y(v)}" stroke="#e5e8ef"/><text x="${pad.l - 6}" y="${Y(v) + 4}" text-anchor="end">${(v * 100).toFixed(0)}%</text>`).join('');
  const front = r.points.filter((p) => p.pareto).sort((a, b) => a.metrics.recall - b.metrics.recall);
  const line = front.length > 1 ? `<polyline fill="none" stroke="#1d7a45" stroke-width="1.5" stroke-dasharray="4 3" points="${front.map((p) => `${X(p.metrics.recall).toFixed(1)},${Y(p.metrics.precision).toFixed(1)}`).join(' ')}"/>` : '';
  // Points that land on the same spot share one label ("4, 5, 13") instead of overprinting each other.
  const spots = new Map<string, { x: number; y: number; ids: number[]; pareto: boolean; recommended: boolean; tips: string[] }>();
  for (const p of r.points) {
    const x = Number(X(p.metrics.recall).toFixed(1));
    const y = Number(Y(p.metrics.precision).toFixed(1));
    const k = `${Math.round(x / 8)},${Math.round(y / 8)}`;
    const spot = spots.get(k) ?? { x, y, ids: [], pareto: false, recommended: false, tips: [] };
    spot.ids.push(p.id);
    spot.pareto ||= p.pareto;
    spot.recommended ||= p.recommended;
    spot.tips.push(`#${p.id} ${p.label}: precision ${(p.metrics.precision * 100).toFixed(1)}%, recall ${(p.metrics.recall * 100).toFixed(1)}%`);
    spots.set(k, spot);
  }
  const dots = [...spots.values()].map((s) => {
    const ids = s.ids.length > 4 ? `${s.ids.slice(0, 4).join(', ')}…` : s.ids.join(', ');
    return `<circle cx="${s.x}" cy="${s.y}" r="${s.pareto ? 5 : 3.5}" fill="${s.pareto ? '#1d7a45' : '#8a93a6'}"><title>${esc(s.tips.join('\n'))}</title></circle>`
      + (s.recommended ? `<circle cx="${s.x}" cy="${s.y}" r="10" fill="none" stroke="#2456c7" stroke-width="2"/>` : '')
      + `<text x="${s.x + 8}" y="${s.y - 6}" fill="${s.recommended ? '#2456c7' : s.pareto ? '#1d7a45' : '#5b6475'}">${esc(s.recommended ? `recommended: ${ids}` : ids)}</text>`;
  }).join('');
  const b = r.baseline.metrics;
  const base = `<rect x="${X(b.recall) - 5}" y="${Y(b.precision) - 5}" width="10" height="10" fill="none" stroke="#b3261e" stroke-width="2"><title>baseline: precision ${(b.precision * 100).toFixed(1)}%, recall ${(b.recall * 100).toFixed(1)}%</title></rect><text x="${X(b.recall) + 8}" y="${Y(b.precision) + 14}" fill="#b3261e">baseline</text>`;
  return `<svg role="img" aria-label="Precision against recall for each sweep point" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">`
    + `<text x="${pad.l}" y="14" font-weight="600">Precision against recall (green: Pareto-optimal)</text>${grid}`
    + `<text x="${(pad.l + width - pad.r) / 2}" y="${height - 8}" text-anchor="middle">recall</text><text x="14" y="${(pad.t + height - pad.b) / 2}" transform="rotate(-90 14 ${(pad.t + height - pad.b) / 2})" text-anchor="middle">precision</text>`
    + `${line}${dots}${base}</svg>`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ROW_CAP = 5000;

function capNote(total: number): string {
  return total > ROW_CAP ? `<p class="note">Showing the first ${ROW_CAP} of ${total} rows; the CSV and JSON hold all of them.</p>` : '';
}

export function whatIfHtml(r: WhatIfResult, meta: ReportMeta = {}): string {
  const settings = r.settingsDiff.length
    ? `<table><tr><th>Setting</th><th>Baseline</th><th>Proposal</th></tr>${r.settingsDiff.map((c) => `<tr><td>${esc(c.key)}</td><td>${esc(JSON.stringify(c.from))}</td><td>${esc(JSON.stringify(c.to))}</td></tr>`).join('')}</table>`
    : '<p>The two profiles have the same settings.</p>';
  const outcomes = [...new Set([...Object.keys(r.baseline.countsByOutcome), ...Object.keys(r.proposal.countsByOutcome)])].sort();
  const methods = [...new Set([...Object.keys(r.baseline.countsByMethod), ...Object.keys(r.proposal.countsByMethod)])].sort();
  const cmpRows = (keys: string[], a: Record<string, number | undefined>, b: Record<string, number | undefined>): string => keys.map((k) => {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    return `<tr><td>${esc(k)}</td><td class="n">${x}</td><td class="n">${y}</td><td class="n ${y > x ? 'ok' : y < x ? 'no' : ''}">${y - x > 0 ? '+' : ''}${y - x}</td></tr>`;
  }).join('');
  const groups = r.groups.length
    ? `<table><tr><th class="n">Messages</th><th>Cause</th><th>Links, graded against the header threading</th></tr>${r.groups.map((g) => `<tr><td class="n">${g.count}</td><td>${esc(g.sentence)}</td><td>${esc(g.gradeSentence ?? '')}</td></tr>`).join('')}</table>`
    : '<p>No message changes.</p>';
  const changes = r.changes.slice(0, ROW_CAP).map((c) => `<tr><td>${esc(c.key)}</td><td>${esc(c.subject)}</td><td>${esc(c.kind)}${c.knockOn ? ' <span class="tag">knock-on</span>' : ''}</td>`
    + `<td>${esc(c.before.outcome)}<br><small>${esc(c.before.method)} ${esc(c.before.correlatedTo ?? '')}</small></td><td>${esc(c.after.outcome)}<br><small>${esc(c.after.method)} ${esc(c.after.correlatedTo ?? '')}</small></td>`
    + `<td>${esc(c.before.regarding ?? '')} → ${esc(c.after.regarding ?? '')}</td>`
    + `<td><details><summary>why</summary><pre>${esc(`before: ${c.before.correlateDetail ?? ''}\nafter: ${c.after.correlateDetail ?? ''}`)}</pre></details></td></tr>`).join('');
  const body = cards([['messages replayed', r.total], ['changed', r.changed, r.changed ? 'warn' : 'ok'], ['tracked (baseline)', r.baseline.tracked], ['tracked (proposal)', r.proposal.tracked]])
    + `<h2>Settings changed</h2>${settings}`
    + `<h2>Effect, grouped by cause</h2>${barChart(r.groups.map((g) => ({ label: g.sentence, value: g.count, color: g.knockOn ? '#9a6700' : '#2456c7' })), { title: 'Changed messages per cause' })}${groups}`
    + `<h2>Outcomes</h2><table><tr><th>Outcome</th><th class="n">Baseline</th><th class="n">Proposal</th><th class="n">Change</th></tr>${cmpRows(outcomes, r.baseline.countsByOutcome, r.proposal.countsByOutcome)}</table>`
    + `<h2>Correlation methods</h2><table><tr><th>Method</th><th class="n">Baseline</th><th class="n">Proposal</th><th class="n">Change</th></tr>${cmpRows(methods, r.baseline.countsByMethod, r.proposal.countsByMethod)}</table>`
    + `<h2>Every changed message</h2>${capNote(r.changes.length)}<table><tr><th>Key</th><th>Subject</th><th>Change</th><th>Before</th><th>After</th><th>Regarding</th><th>Trace</th></tr>${changes}</table>`;
  return page(meta.title ?? 'What-if: effect of a settings change', meta, body);
}

export function sweepHtml(r: SweepResult, meta: ReportMeta = {}): string {
  const rec = r.recommendation;
  const b = r.baseline.metrics;
  const rows = r.points.map((p) => {
    const m = p.metrics;
    return `<tr class="${p.recommended ? 'rec' : ''}"><td class="n">${p.id}</td><td>${esc(p.label)}${p.recommended ? ' <span class="tag">recommended</span>' : ''}</td>`
      + `<td class="n">${pct(m.precision)}</td><td class="n">${pct(m.recall)}</td><td class="n">${m.f05.toFixed(3)}</td><td class="n">${m.correct}</td><td class="n">${m.falseCorrelations}</td><td class="n">${m.missed}</td>`
      + `<td class="n ok">+${m.gained}</td><td class="n no">−${m.lost}</td><td class="n">${m.newFalse}</td><td>${p.pareto ? '<span class="ok">●</span>' : ''}</td><td class="n">${p.ms}</td></tr>`;
  }).join('');
  const body = cards([['messages', r.messages], ['tracked emails', r.tracked], ['true conversations', r.truth.conversations], ['points', r.points.length], ['sweep time', `${(r.timing.totalMs / 1000).toFixed(1)} s`]])
    + (rec ? `<h2>Recommendation: ${esc(rec.label)}</h2>${rec.explanation.map((l) => `<p>${esc(l)}</p>`).join('')}` : '<h2>Recommendation</h2><p>No point could be recommended.</p>')
    + `<h2>Chart</h2>${sweepScatter(r)}`
    + `<h2>Baseline</h2><p>${esc(r.baseline.label)} — smart matching ${r.baseline.smartMatching ? 'on' : 'off'}: precision ${pct(b.precision)}, recall ${pct(b.recall)}, ${b.correct} correct, ${b.falseCorrelations} false links, ${b.missed} missed.</p>`
    + `<h2>Every point</h2><table><tr><th class="n">#</th><th>Settings</th><th class="n">Precision</th><th class="n">Recall</th><th class="n">F0.5</th><th class="n">Correct</th><th class="n">False links (all)</th><th class="n">Missed</th><th class="n">Gained (vs baseline)</th><th class="n">Lost (vs baseline)</th><th class="n">New false links (vs baseline)</th><th>Pareto</th><th class="n">ms</th></tr>`
    + `<tr class="${rec?.pointId === 0 ? 'rec' : ''}"><td class="n">0</td><td>baseline: ${esc(r.baseline.label)}${r.baseline.smartMatching ? '' : ' (smart matching off)'}${rec?.pointId === 0 ? ' <span class="tag">recommended</span>' : ''}</td>`
    + `<td class="n">${pct(b.precision)}</td><td class="n">${pct(b.recall)}</td><td class="n">${b.f05.toFixed(3)}</td><td class="n">${b.correct}</td><td class="n">${b.falseCorrelations}</td><td class="n">${b.missed}</td><td class="n"></td><td class="n"></td><td class="n"></td><td>${r.baselinePareto ? '<span class="ok">●</span>' : ''}</td><td class="n"></td></tr>${rows}</table>`
    + '<p class="note">Ground truth: conversations from Message-ID, In-Reply-To and References (JWZ threading with phantom parents) merged by Outlook Thread-Index; subjects are never used, so smart matching is not graded against itself. A false correlation links two different true conversations; a missed one is a message whose conversation already had a tracked email but that got no correct correlation.</p>';
  return page(meta.title ?? 'Smart-matching tuning sweep', meta, body);
}

export function auditHtml(r: AuditResult, meta: ReportMeta = {}): string {
  const c = r.counts;
  const dis = r.rows.filter((x) => !x.agree);
  const disRows = dis.slice(0, ROW_CAP).map((x) => {
    const diffs = x.fields.filter((f) => f.comparable && !f.agree).map((f) => `<div><b>${esc(f.field)}</b>: Dynamics ${esc(String(f.dynamics ?? '—'))} · SyncLens ${esc(String(f.synclens ?? '—'))}</div>`).join('');
    return `<tr><td class="n">${x.row}</td><td>${esc(x.subject)}<br><small>${esc(x.messageId)}</small></td><td>${diffs}</td>`
      + `<td>${x.causes.map((k) => `<div><span class="tag">${esc(k.kind)}</span> ${esc(k.detail)}</div>`).join('')}</td>`
      + `<td><details><summary>trace</summary><pre>${esc(x.trace.join('\n'))}</pre></details></td></tr>`;
  }).join('');
  const agreeRows = r.rows.filter((x) => x.agree).slice(0, ROW_CAP).map((x) => `<tr><td class="n">${x.row}</td><td>${esc(x.subject)}</td><td>${esc(x.messageId)}</td><td>${esc(x.dynamics.method ?? '')}</td><td>${esc(x.dynamics.regarding ?? '')}</td></tr>`).join('');
  const unRec = r.unmatchedRecords.slice(0, ROW_CAP).map((u) => `<tr><td class="n">${u.row}</td><td>${esc(u.subject ?? '')}</td><td>${esc(u.messageId ?? '')}</td><td>${esc(u.reason)}</td></tr>`).join('');
  const unMsg = r.unmatchedMessages.slice(0, ROW_CAP).map((u) => `<tr><td>${esc(u.key)}</td><td>${esc(u.subject)}</td><td>${esc(u.messageId ?? '')}</td><td class="${u.synclensTracked ? 'warn' : ''}">${esc(u.outcome)}</td></tr>`).join('');
  const problems = r.importProblems.map((p) => `<tr><td class="n">${p.row}</td><td>${esc(p.column ?? '')}</td><td>${esc(p.problem)}</td></tr>`).join('');
  const body = cards([['records', c.records], ['matched', c.matched], ['agree', c.agreements, 'ok'], ['disagree', c.disagreements, c.disagreements ? 'no' : 'ok'], ['records without message', c.unmatchedRecords, c.unmatchedRecords ? 'warn' : ''], ['messages without record', c.unmatchedMessages]])
    + barChart([
      { label: 'agree', value: c.agreements, color: '#1d7a45' }, { label: 'disagree', value: c.disagreements, color: '#b3261e' },
      { label: 'record without message', value: c.unmatchedRecords, color: '#9a6700' }, { label: 'message without record', value: c.unmatchedMessages, color: '#8a93a6' },
    ], { title: 'Records and messages' })
    + `<h2>Likely causes of disagreements</h2>${barChart(r.causes.map((k) => ({ label: k.kind, value: k.count, color: '#b3261e' })), { title: 'Disagreements per likely cause' })}`
    + `<h2>Disagreements</h2>${capNote(dis.length)}<table><tr><th class="n">Row</th><th>Email</th><th>Differs</th><th>Likely causes</th><th>SyncLens trace</th></tr>${disRows}</table>`
    + `<h2>Agreements</h2>${capNote(c.agreements)}<table><tr><th class="n">Row</th><th>Subject</th><th>Message-ID</th><th>Method</th><th>Regarding</th></tr>${agreeRows}</table>`
    + `<h2>Records without a workspace message</h2><table><tr><th class="n">Row</th><th>Subject</th><th>Message-ID</th><th>Why</th></tr>${unRec}</table>`
    + `<h2>Workspace messages without a record</h2><p class="note">Highlighted: SyncLens would track it, yet the export has no email record for it.</p><table><tr><th>Key</th><th>Subject</th><th>Message-ID</th><th>SyncLens outcome</th></tr>${unMsg}</table>`
    + (problems ? `<h2>Import problems</h2><table><tr><th class="n">Row</th><th>Column</th><th>Problem</th></tr>${problems}</table>` : '');
  return page(meta.title ?? 'Audit: Dynamics records against SyncLens', meta, body);
}

export function renderHtml(env: ReportEnvelope): string {
  switch (env.kind) {
    case 'whatif': return whatIfHtml(env.result, env.meta);
    case 'sweep': return sweepHtml(env.result, env.meta);
    case 'audit': return auditHtml(env.result, env.meta);
  }
}

export function renderCsv(env: ReportEnvelope): string {
  switch (env.kind) {
    case 'whatif': return whatIfCsv(env.result);
    case 'sweep': return sweepCsv(env.result);
    case 'audit': return auditCsv(env.result);
  }
}
