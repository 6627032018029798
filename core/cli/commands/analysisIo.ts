// Shared plumbing of the analysis commands (whatif, sweep, audit, report, apply-kit): reading settings
// from a file, a workspace profile or a preset; opening the workspace read-only; writing a report as
// JSON, CSV and/or HTML to files or stdout.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Settings, DEFAULT_SETTINGS, validateSettings } from '../../engine/index.js';
import { applyPreset, findPreset, PRESETS } from '../../analysis/presets.js';
import { renderCsv, renderHtml, type ReportEnvelope } from '../../analysis/report.js';
import { listSettingsProfiles, loadSettingsProfile, openWorkspace, type Workspace } from '../../node/workspace/index.js';
import { InputError, UsageError, type Out } from '../args.js';

export { InputError, std, type Out } from '../args.js';


export const SETTINGS_SOURCE_HELP = `A settings SOURCE is one of:
  path/to/settings.json   a JSON object of settings (partial, merged onto the defaults)
  NAME                    a settings profile saved in the workspace
  preset:NAME             an era preset (${PRESETS.map((p) => p.name).join(', ')})
  default                 the simulator's defaults (current Dataverse documentation)`;

/** Settings from a file, a workspace profile, a preset or `default`, validated; errors name the source. */
export function resolveSettings(source: string, ws: Workspace | null, what: string): Settings {
  if (source === 'default') return DEFAULT_SETTINGS;
  if (source.startsWith('preset:')) {
    const p = findPreset(source.slice(7));
    if (!p) throw new InputError(`${what} ${source}: unknown preset; known: ${PRESETS.map((x) => `preset:${x.name}`).join(', ')}`);
    return applyPreset(p);
  }
  const looksLikeFile = source.endsWith('.json') || source.includes('/') || source.includes('\\');
  if (looksLikeFile || existsSync(source)) {
    let raw: unknown;
    try { raw = JSON.parse(readFileSync(source, 'utf8')); } catch (e) { throw new InputError(`${what} ${source}: cannot read settings JSON: ${(e as Error).message}`); }
    const v = validateSettings(raw);
    if (!v.ok) throw new InputError(v.errors.map((e) => `${what} ${source}: ${e.message}`).join('\n'));
    return v.settings;
  }
  if (!ws) throw new InputError(`${what} ${source}: no such file, and profile names need --workspace`);
  const stored = loadSettingsProfile(ws, source);
  if (!stored) {
    const names = listSettingsProfiles(ws).map((p) => p.name);
    throw new InputError(`${what} ${source}: no such file or settings profile in ${ws.file}${names.length ? ` (profiles: ${names.join(', ')})` : ' (it has no profiles)'}`);
  }
  const v = validateSettings(stored);
  if (!v.ok) throw new InputError(v.errors.map((e) => `${what} profile ${source}: ${e.message}`).join('\n'));
  return v.settings;
}

export function openReadOnly(file: string): Workspace {
  try {
    return openWorkspace(file, { create: false, readonly: true });
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

export interface OutputTargets { json?: string; csv?: string; html?: string }

export const OUTPUT_HELP = `Output (each takes a file path, or - for stdout; without any, a summary is printed):
  --json OUT   the full result as a SyncLens report (read back by \`report\`)
  --csv OUT    one row per message / point / record
  --html OUT   a self-contained HTML report (inline charts, no external loads)`;

/** The --json/--csv/--html options every analysis command takes. */
export const OUTPUT_OPTIONS = { json: { type: 'string' }, csv: { type: 'string' }, html: { type: 'string' } } as const;

export function outputTargets(options: OutputTargets): OutputTargets {
  const t: OutputTargets = {};
  for (const k of ['json', 'csv', 'html'] as const) {
    const v = options[k];
    if (v !== undefined) t[k] = v;
  }
  const toStdout = Object.values(t).filter((v) => v === '-').length;
  if (toStdout > 1) throw new UsageError('only one of --json, --csv, --html can write to stdout (-)');
  return t;
}

/** Writes the requested renderings; returns true when one of them went to stdout. */
export function writeOutputs(env: ReportEnvelope, t: OutputTargets, io: Out): boolean {
  let stdout = false;
  const put = (target: string | undefined, render: () => string, label: string): void => {
    if (target === undefined) return;
    const text = render();
    if (target === '-') {
      stdout = true;
      io.out(text.replace(/\r?\n$/, ''));
      return;
    }
    try { writeFileSync(target, text); } catch (e) { throw new InputError(`${target}: cannot write the ${label}: ${(e as Error).message}`); }
    io.err(`wrote ${label} to ${target}`);
  };
  put(t.json, () => `${JSON.stringify(env, null, 2)}\n`, 'JSON report');
  put(t.csv, () => renderCsv(env), 'CSV');
  put(t.html, () => renderHtml(env), 'HTML report');
  return stdout;
}

/**
 * Runs a command body (inside args.ts runCommand, which handles usage errors): the typed errors of the
 * core readers (SweepGridError, AuditImportError, …) name the file and the problem, so they are printed
 * as is with exit code 2, like an InputError.
 */
export async function guarded(io: Out, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof InputError || (e instanceof Error && /Error$/.test(e.name) && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'RangeError')) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
}
