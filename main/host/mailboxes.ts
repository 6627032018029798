// Host handlers of the Mailboxes & Directory view and of "Save as scenario" (issue 13). Mailbox edits go
// into a settings profile (core/analysis/mailboxOverrides.ts), never over the imported mailbox rows, so
// the what-if compares them like any other setting change. The directory's "who wins for a sender" is
// the engine's own resolver (core/engine/stages/resolve.ts), asked once per shared address.
import path from 'node:path';
import type { WhatIfResult, CaseExportView, DirectoryRowView, DirectorySearchResult, MailboxesView, MailboxFieldsView, MailboxOverrideInput, MethodInput, MethodOutput } from '../../core/contract/contract.js';
import { applyMailboxOverrides, deliveryLabel, FILTER_LABELS, MAILBOX_OVERRIDES_KEY, normalizeOverride, type MailboxOverrides } from '../../core/analysis/mailboxOverrides.js';
import { normAddress, indexDirectory, resolveSender, type Settings, type DirectoryEntry, type MailboxConfig, type MessageFacts } from '../../core/engine/index.js';
import { CaseError, exportCase } from '../../core/node/case/exportCase.js';
import { listMailboxes, listRuns, loadDirectory, loadMailboxOverrides, saveMailboxOverrides, type Workspace } from '../../core/node/workspace/index.js';
import { orgMailbox } from '../../core/node/workspace/org.js';
import { choiceLabel, DELIVERY_METHOD } from '../../core/org/choices.js';

export type MailboxMethod = 'mailboxes.list' | 'mailboxes.override' | 'directory.search' | 'case.export';
type Handler<M extends MailboxMethod> = (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

export interface MailboxContext {
  requireWs: () => Workspace;
  profileNames: () => string[];
  profileSettings: (name: string) => Settings;
  baselineName: () => string;
  fail: (code: 'INVALID_INPUT' | 'NOT_FOUND' | 'WORKSPACE_ERROR', message: string, details?: string[]) => never;
  /** Tells the renderer the workspace's profiles changed. */
  changed: () => void;
}

const TYPE_LABELS: Record<DirectoryEntry['kind'], string> = { user: 'User', queue: 'Queue', contact: 'Contact', account: 'Account', lead: 'Lead', record: 'Record' };

function fields(m: MailboxConfig): MailboxFieldsView {
  return { filter: m.filter, filterLabel: FILTER_LABELS[m.filter], processEmailsFrom: m.processEmailsFrom, trackedFolders: m.trackedFolders, incoming: m.incoming, deliveryLabel: deliveryLabel(m.incoming) };
}

function orgFacts(w: Workspace, address: string): MailboxesView['mailboxes'][number]['org'] {
  const o = orgMailbox(w, address);
  if (!o) return null;
  return {
    deliveryLabel: o.delivery === null ? null : choiceLabel(DELIVERY_METHOD, o.delivery),
    filterSource: o.filterSource,
    processEmailsFromSource: o.processEmailsFromSource,
    notes: o.notes,
    source: `${o.file} row ${o.row}`,
  };
}

export function createMailboxHandlers(ctx: MailboxContext): { [M in MailboxMethod]: Handler<M> } {
  const view = (profile: string): MailboxesView => {
    const w = ctx.requireWs();
    const names = ctx.profileNames();
    if (!names.includes(profile)) ctx.fail('NOT_FOUND', `There is no settings profile named "${profile}": pick one from the list.`);
    const imported = listMailboxes(w);
    const plain = imported.map(({ id: _id, ...m }) => m);
    const overrides = loadMailboxOverrides(w, profile);
    const effective = applyMailboxOverrides(plain, overrides);
    const dir = loadDirectory(w).entries;
    const byRef = new Map(dir.map((e) => [e.ref, e]));
    const runs = listRuns(w);
    const run = runs[runs.length - 1] ?? null;
    const rows = w.db.prepare(`SELECT m.mailbox_id AS mailbox, f.path AS folder, d.outcome AS outcome, COUNT(*) AS n
      FROM messages m JOIN folders f ON f.id = m.folder_id
      LEFT JOIN decisions d ON d.run_id = ? AND d.message_row = m.id
      WHERE m.status = 'ok' AND m.parent_id IS NULL GROUP BY m.mailbox_id, f.path, d.outcome ORDER BY f.path`).all(run?.id ?? -1) as Array<{ mailbox: number; folder: string; outcome: string | null; n: number }>;
    return {
      profile,
      profiles: names,
      run: run ? { runId: run.id, profileName: run.profileName ?? '', createdAt: run.createdAt } : null,
      filterLabels: [0, 1, 2, 3, 4].map((f) => FILTER_LABELS[f as 0]),
      mailboxes: imported.map((m, i) => {
        const eff = effective[i] as MailboxConfig;
        const folders = new Map<string, { path: string; messages: number; byOutcome: Record<string, number> }>();
        for (const r of rows) {
          if (r.mailbox !== m.id) continue;
          const f = folders.get(r.folder) ?? { path: r.folder, messages: 0, byOutcome: {} };
          f.messages += r.n;
          if (r.outcome) f.byOutcome[r.outcome] = (f.byOutcome[r.outcome] ?? 0) + r.n;
          folders.set(r.folder, f);
        }
        const regardingNames: Record<string, string> = {};
        for (const tf of [...m.trackedFolders, ...eff.trackedFolders]) if (tf.regarding && byRef.has(tf.regarding)) regardingNames[tf.regarding] = (byRef.get(tf.regarding) as DirectoryEntry).name;
        return {
          address: m.address,
          owner: m.owner,
          ownerKind: m.owner.startsWith('queue:') ? 'queue' : 'user',
          ownerName: byRef.get(m.owner)?.name ?? null,
          imported: fields(m),
          effective: fields(eff),
          overridden: overrides[normAddress(m.address)] !== undefined,
          regardingNames,
          folders: [...folders.values()],
          messages: [...folders.values()].reduce((a, f) => a + f.messages, 0),
          org: orgFacts(w, m.address),
        };
      }),
    };
  };

  const search = (text: string, limit: number): DirectorySearchResult => {
    const w = ctx.requireWs();
    const profile = ctx.baselineName();
    const settings = ctx.profileSettings(profile);
    const dir = loadDirectory(w);
    const idx = indexDirectory(dir);
    const byRef = new Map(dir.entries.map((e) => [e.ref, e]));
    const mailboxes = listMailboxes(w);
    const q = text.trim().toLowerCase();
    const hits = q ? dir.entries.filter((e) => e.name.toLowerCase().includes(q) || e.emails.some((a) => a.toLowerCase().includes(q)) || e.ref.toLowerCase() === q) : dir.entries;
    const rows: DirectoryRowView[] = hits.slice(0, limit).map((e) => ({
      ref: e.ref,
      kind: e.kind,
      typeLabel: e.kind === 'record' ? e.table : TYPE_LABELS[e.kind],
      name: e.name,
      active: e.active,
      owner: e.owner ? { ref: e.owner, name: byRef.get(e.owner)?.name ?? null } : null,
      addresses: [...new Set(e.emails.map(normAddress))].filter(Boolean).map((a) => {
        const matches = idx.get(a) ?? [];
        if (matches.length < 2) return { address: a, sharedWith: [], senderWinner: null, byMailbox: [] };
        // The resolver's sentence names rows by reference; the view names them as the admin knows them.
        const named = (why: string): string => matches.reduce((t, x) => t.split(x.ref).join(`${x.name} (${x.kind === 'record' ? x.table : TYPE_LABELS[x.kind]})`), why);
        const general = resolveSender(a, idx, '', settings);
        const owners = new Set(matches.map((x) => x.owner).filter((o): o is string => !!o));
        return {
          address: a,
          sharedWith: matches.filter((x) => x.ref !== e.ref).map((x) => ({ ref: x.ref, name: x.name, kind: x.kind === 'record' ? x.table : TYPE_LABELS[x.kind] })),
          senderWinner: { ref: general.entry?.ref ?? null, why: named(general.step.detail) },
          byMailbox: mailboxes.filter((b) => owners.has(b.owner)).map((b) => {
            const r = resolveSender(a, idx, b.owner, settings);
            return { mailbox: b.address, ref: r.entry?.ref ?? null, why: named(r.step.detail).split(b.owner).join(byRef.get(b.owner)?.name ?? b.owner) };
          }),
        };
      }),
    }));
    return { total: hits.length, rows, profile };
  };

  return {
    'mailboxes.list': ({ profile }) => view(profile ?? ctx.baselineName()),
    'mailboxes.override': ({ profile, address, override }) => {
      const w = ctx.requireWs();
      const mbx = listMailboxes(w).find((m) => normAddress(m.address) === normAddress(address));
      if (!mbx) return ctx.fail('NOT_FOUND', `There is no mailbox ${address} in this workspace.`);
      if (profile === ctx.baselineName()) {
        return ctx.fail('INVALID_INPUT', `"${profile}" is the baseline the what-if compares against: put mailbox changes into another profile (type a new name to create one).`);
      }
      const known = ctx.profileNames().includes(profile);
      const overrides: MailboxOverrides = known ? loadMailboxOverrides(w, profile) : {};
      const key = normAddress(mbx.address);
      const { id: _id, ...imported } = mbx;
      const merged: MailboxOverrideInput | null = override === null ? null : { ...(overrides[key] ?? {}), ...override };
      const normal = merged === null ? null : normalizeOverride(imported, merged);
      if (normal) overrides[key] = normal;
      else delete overrides[key];
      // A new profile starts from the baseline's settings, so the what-if shows only the mailbox change.
      saveMailboxOverrides(w, profile, overrides, known ? ctx.profileSettings(profile) : ctx.profileSettings(ctx.baselineName()));
      ctx.changed();
      return view(profile);
    },
    'directory.search': ({ text, limit }) => search(text, limit ?? 100),
    'case.export': ({ key, out, anonymize }): CaseExportView => {
      const w = ctx.requireWs();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const dir = out ?? path.join(path.dirname(w.file), 'cases', `case-${key}-${stamp}`);
      try {
        const { mismatches, subject: _subject, ...view } = exportCase(w.file, key, dir, { ws: w, anonymize: anonymize === true });
        return { ...view, differences: mismatches.map((m) => `${m.file} ${m.key}: expected ${JSON.stringify(m.expected)}, replayed ${JSON.stringify(m.actual)}`) };
      } catch (e) {
        if (e instanceof CaseError) return ctx.fail('INVALID_INPUT', e.message);
        throw e;
      }
    },
  };
}

/**
 * The what-if groups by the settings the traces name; a mailbox change is not a setting, so the messages
 * of a changed mailbox would read as knock-ons. A knock-on group whose messages all sit in mailboxes the
 * two profiles treat differently is relabelled with those mailboxes (the other knock-ons stay as they are).
 */
export function relabelMailboxGroups(view: WhatIfResult, messages: readonly MessageFacts[], a: MailboxOverrides, b: MailboxOverrides): void {
  const differ = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])));
  if (differ.size === 0) return;
  const mailboxOf = new Map(messages.map((m) => [m.key, normAddress(m.mailbox)]));
  for (const g of view.groups) {
    if (!g.knockOn || g.changes.length === 0) continue;
    const boxes = new Set(g.changes.map((c) => mailboxOf.get(c.key) ?? ''));
    if (![...boxes].every((x) => differ.has(x))) continue;
    const names = [...boxes].sort();
    const rest = g.cause.replace(/^knock-on \([^)]*\)/, '');
    g.cause = `mailbox change in ${names.join(', ')}${rest}`;
    g.knockOn = false;
    g.settings = names.map((n) => `${n} mailbox`);
  }
}

/**
 * The settings a run is saved with: a profile's mailbox changes ride along under their own key (the
 * engine ignores keys it does not know), so the run records what it replayed and a case exported from
 * it later reproduces that, even after the profile changed.
 */
export function withRunMailboxes(settings: Settings, overrides: MailboxOverrides): Settings {
  return Object.keys(overrides).length ? ({ ...settings, [MAILBOX_OVERRIDES_KEY]: overrides } as Settings) : settings;
}
