// `case export`: writes one message of a workspace as a scenario folder (SCENARIO-FORMAT.md), then
// replays that folder with the scenario runner and says whether it reaches the decision the workspace's
// latest run recorded. The workspace is opened read-only and the message bytes are read from their
// sources read-only; only the (new or empty) output folder is written.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Anonymizer } from '../../case/anonymize.js';
import { anonymizeMessage } from '../../case/rewriteMessage.js';
import { buildCaseScenario, type CaseFile } from '../../case/scenario.js';
import { CaseError, selectCase } from '../../case/select.js';
import { replay } from '../../engine/index.js';
import { checkExpect, toRunResults, type Mismatch } from '../../scenario/scenario.js';
import { getMessageBytes } from '../mailparse.js';
import { loadScenario } from '../scenario/load.js';
import { getMessageRow, listDecisions, listRuns, loadReplayInput, openWorkspace, type Workspace } from '../workspace/index.js';
import { applyMailboxOverrides, splitProfile } from '../../analysis/mailboxOverrides.js';
import type { CaseExportView } from '../../contract/contract.js';

export { CaseError } from '../../case/select.js';

export interface CaseExportOptions {
  anonymize?: boolean;
  nativeBinding?: string;
  /** A workspace already open (the app's engine host); else `workspace` is opened read-only. */
  ws?: Workspace;
}

/** The contract's answer (what the app shows), with the mismatches as data and the subject written. */
export interface CaseExportResult extends Omit<CaseExportView, 'differences'> {
  mismatches: Mismatch[];
  /** The case message's subject as written into the scenario (anonymized when asked). */
  subject: string;
}

function ensureEmptyDir(dir: string): void {
  if (existsSync(dir)) {
    let entries: string[];
    try { entries = readdirSync(dir); } catch (e) { throw new CaseError(`${dir}: is not a folder that can be read (${(e as Error).message})`); }
    if (entries.length > 0) throw new CaseError(`${dir}: the folder is not empty; choose a new or empty folder (a case export never overwrites files)`);
  }
  mkdirSync(join(dir, 'messages'), { recursive: true });
}

export function exportCase(workspaceFile: string, messageId: string, outDir: string, opts: CaseExportOptions = {}): CaseExportResult {
  const dir = resolve(outDir);
  const ws = opts.ws ?? openWorkspace(workspaceFile, { create: false, readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    const runs = listRuns(ws);
    const latest = runs[runs.length - 1];
    if (!latest) throw new CaseError(`${workspaceFile}: no replay has been saved yet; replay the workspace first so the case has a decision to reproduce`);
    if (!/^\d+$/.test(messageId)) throw new CaseError(`--message ${messageId}: expected the number of a message of the workspace (as \`explain\` takes)`);
    const row = getMessageRow(ws, Number(messageId));
    if (!row) throw new CaseError(`${workspaceFile}: no message ${messageId}`);
    if (row.status !== 'ok') throw new CaseError(`${workspaceFile}: message ${messageId} was quarantined on import (${row.quarantine_reason ?? 'unreadable'}); there is no decision to reproduce`);
    const loadedInput = loadReplayInput(ws);
    // A run of a profile with mailbox changes (Mailboxes view) records them with its settings: the case is
    // what that run saw, even when the profile was edited since.
    const runMailboxes = splitProfile(latest.settings as unknown as Record<string, unknown>).mailboxes;
    const input = { ...loadedInput, mailboxes: applyMailboxOverrides(loadedInput.mailboxes, runMailboxes) };
    const sel = selectCase({ ...input, directory: input.directory.entries, decisions: listDecisions(ws, latest.id), settings: latest.settings }, messageId);
    const target = sel.messages.find((m) => m.key === messageId);
    if (!target) throw new CaseError(`${workspaceFile}: message ${messageId} is not among the replayed messages`);

    // Bytes first: a message that cannot be read must fail the export before anything is written.
    const bytes = new Map<string, Uint8Array>();
    for (const m of sel.messages) {
      const r = getMessageRow(ws, Number(m.key));
      if (r?.source_kind === 'msg' && r.parent_id === null) {
        throw new CaseError(`message "${m.subject}" comes from an Outlook .msg file (${r.source_path}); a scenario holds RFC 822 messages, so this case cannot be exported`);
      }
      bytes.set(m.key, new Uint8Array(getMessageBytes(ws, Number(m.key))));
    }
    const anon = opts.anonymize ? new Anonymizer([latest.settings.trackingprefix, ...latest.settings.trackingprefixhistory]) : null;
    const files: CaseFile[] = sel.messages.map((m, i) => ({ key: m.key, file: `messages/${String(i + 1).padStart(2, '0')}${m.key === messageId ? '-case' : ''}.eml` }));
    const subject = anon ? anon.subject(target.subject) : target.subject;
    // Message files before scenario.json so every address and id of the files is mapped first (same result either way: the maps are consistent).
    const written = new Map<string, Uint8Array>();
    for (const f of files) {
      const raw = bytes.get(f.key) as Uint8Array;
      written.set(f.file, anon ? anonymizeMessage(raw, anon) : raw);
    }
    const scenario = buildCaseScenario(sel, target, files, anon, { subject, exportedAt: new Date().toISOString() });

    ensureEmptyDir(dir);
    for (const [file, b] of written) writeFileSync(join(dir, file), b, { flag: 'wx' });
    writeFileSync(join(dir, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`, { flag: 'wx' });

    // Replay what was written, with the same runner `scenario check` uses.
    const loaded = loadScenario(dir);
    const results = toRunResults(replay(loaded.input).decisions);
    const check = checkExpect(loaded.scenario.expect, results);
    const caseFile = (files.find((f) => f.key === messageId) as CaseFile).file;
    return {
      dir, files: ['scenario.json', ...written.keys()], messages: files.length, tracked: sel.tracked.length, directoryRows: sel.directory.length + sel.missingOwners.length,
      mailboxes: sel.mailboxes.length, settings: Object.keys(sel.organization), anonymized: anon !== null,
      reproduced: check.failed === 0 && check.passed === files.length,
      replayedOutcome: results.find((r) => r.file === caseFile)?.outcome ?? null,
      expectedOutcome: (sel.decisions.get(messageId) as { outcome: string }).outcome,
      mismatches: check.mismatches, subject,
    };
  } finally {
    if (!opts.ws) ws.close();
  }
}
