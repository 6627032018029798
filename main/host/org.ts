// The app's side of bringing a real organization in (issue 13): load Dataverse exports into the open
// workspace (the same reader and writer as `org import`), show what was loaded, and preview where an
// import would put a mailbox's messages, folder by folder, with whether server-side sync evaluates them.
import path from 'node:path';
import type { ImportPreview, MethodInput, MethodOutput, OrgLoadView, OrgShowView } from '../../core/contract/contract.js';
import { folderStage, type Settings, type MailboxConfig } from '../../core/engine/index.js';
import { discoverSources } from '../../core/node/import/discover.js';
import { readOrgExports } from '../../core/node/org/readExports.js';
import { listDecisions, listMailboxes, listRuns, loadReplayInput, ORG_PROFILE, orgShow, saveOrgLoad, type Workspace } from '../../core/node/workspace/index.js';
import { whyNothingTracked } from '../../core/org/nothingTracked.js';

export type OrgMethod = 'org.import' | 'org.show' | 'import.preview' | 'replay.nothingTracked';
type Handler<M extends OrgMethod> = (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

export interface OrgContext {
  requireWs: () => Workspace;
  /** The settings the workspace replays with by default (the baseline profile). */
  baselineSettings: () => Settings;
  fail: (code: 'IMPORT_ERROR' | 'INVALID_INPUT', message: string) => never;
  changed: () => void;
  /** Makes a settings profile the one Run replay and the what-if compare against. */
  useAsBaseline: (profile: string) => void;
}

const MAX_PROBLEMS = 200;

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A mailbox not in the workspace yet is new: owned by a user, default filter for users (SIMULATOR §1). */
function mailboxFor(ws: Workspace, address: string): MailboxConfig {
  const known = listMailboxes(ws).find((b) => b.address.toLowerCase() === address.trim().toLowerCase());
  return known ?? { address, owner: `user:${address.split('@')[0] ?? address}`, filter: 1, processEmailsFrom: null, trackedFolders: [], incoming: true };
}

export function createOrgHandlers(ctx: OrgContext): { [M in OrgMethod]: Handler<M> } {
  return {
    'org.import': ({ paths, table }): OrgLoadView => {
      const ws = ctx.requireWs();
      const read = readOrgExports(paths, table ? { table } : {});
      if (read.results.length === 0) {
        ctx.fail('IMPORT_ERROR', read.failures.length
          ? `Nothing could be loaded: ${read.failures.slice(0, 3).map((f) => `${f.file}: ${f.problem}`).join('; ')}`
          : `No Dataverse export was found in ${paths.join(', ')}: give Web API JSON files (the body of GET /api/data/v9.2/<table>) or Excel / Advanced Find exports saved as CSV.`);
      }
      const load = saveOrgLoad(ws, read.results);
      // The organization's own settings are what its mail was decided with: replay with them from now on.
      if (load.landed.settings) ctx.useAsBaseline(ORG_PROFILE);
      ctx.changed();
      return {
        files: load.files.map((f) => ({ file: f.file, table: f.customTable ?? f.table, rows: f.rows, loaded: f.loaded, problems: f.problems })),
        failures: read.failures,
        problems: load.problems.slice(0, MAX_PROBLEMS).map((p) => ({ file: p.file, row: p.row, column: p.column, problem: p.problem })),
        problemCount: load.problems.length,
        landed: load.landed,
      };
    },
    'org.show': (): OrgShowView => {
      const s = orgShow(ctx.requireWs());
      return {
        files: s.files.map((f) => ({ file: f.file, table: f.customTable ?? f.table, rows: f.rows, loaded: f.loaded, problems: f.problems, loadedAt: f.loadedAt })),
        tables: s.tables,
        settings: s.settings.map((x) => ({ name: x.name, value: show(x.value), known: x.known, source: x.source })),
        problemCount: s.problems.length,
        mailboxes: s.mailboxes.length,
      };
    },
    // When a run tracked nothing, the sentences that say why and what would help (the same as `replay` prints).
    'replay.nothingTracked': ({ runId }) => {
      const ws = ctx.requireWs();
      const runs = listRuns(ws);
      const run = runId === undefined || runId === null ? runs[runs.length - 1] : runs.find((r) => r.id === runId);
      if (!run) return { lines: [] };
      const input = loadReplayInput(ws);
      const why = whyNothingTracked({
        mailboxes: input.mailboxes, directory: input.directory, trackedBefore: input.tracked.length, messages: input.messages,
        decisions: listDecisions(ws, run.id), settings: run.settings,
      });
      return { lines: why ? [why.headline, ...why.reasons.map((r) => r.sentence)] : [] };
    },
    'import.preview': ({ paths, mailbox, folder, flatten }): ImportPreview => {
      const ws = ctx.requireWs();
      let found;
      try {
        found = discoverSources(paths, folder ?? 'Inbox', [ws.file], flatten ?? false);
      } catch (err) {
        return ctx.fail('INVALID_INPUT', (err as Error).message);
      }
      const box = mailboxFor(ws, mailbox);
      const settings = ctx.baselineSettings();
      const byFolder = new Map<string, { files: number; bytes: number }>();
      const dataFiles: string[] = [];
      for (const j of found.jobs) {
        if (j.kind === 'pst' || j.kind === 'ost') {
          dataFiles.push(path.basename(j.path));
          continue;
        }
        const f = byFolder.get(j.folder) ?? { files: 0, bytes: 0 };
        f.files += 1;
        f.bytes += j.size;
        byFolder.set(j.folder, f);
      }
      return {
        folders: [...byFolder.entries()].map(([f, c]) => {
          const stage = folderStage(f, box, settings);
          return { folder: f, files: c.files, bytes: c.bytes, tracked: stage.evaluated, why: stage.why };
        }),
        dataFiles,
        skipped: found.skipped.length,
      };
    },
  };
}

/**
 * The mailbox's folders that hold messages stage 1 stops (SIMULATOR §2): said after an import so messages
 * filed into sub-folders do not silently end as NotInTrackedFolder.
 */
export function untrackedFolders(ws: Workspace, mailbox: string, settings: Settings): { folder: string; messages: number; why: string }[] {
  const box = mailboxFor(ws, mailbox);
  const rows = ws.db.prepare(`SELECT fo.path AS folder, COUNT(*) AS n FROM messages m JOIN folders fo ON fo.id = m.folder_id JOIN mailboxes mb ON mb.id = m.mailbox_id
      WHERE mb.address = ? COLLATE NOCASE AND m.status = 'ok' AND m.parent_id IS NULL GROUP BY fo.path ORDER BY fo.path`).all(mailbox.trim()) as { folder: string; n: number }[];
  return rows.flatMap((r) => {
    const stage = folderStage(r.folder, box, settings);
    return stage.evaluated ? [] : [{ folder: r.folder, messages: r.n, why: stage.why }];
  });
}
