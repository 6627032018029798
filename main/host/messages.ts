// Host handlers of the message views: the list (a page of a filtered, sorted query), one message with
// its decision, trace and explanation, its body, the quarantined messages, the conversation chain around
// a message, and the smart-matching comparison of two emails. The SQL is core/node/workspace's.
import type { MessageDetail, ThreadIndexView } from '../../core/contract/contract.js';
import { DEFAULT_SETTINGS, explainDecision, parseTokens, type Settings } from '../../core/engine/index.js';
import { splitHeaderBlock } from '../../core/mail/headers.js';
import { decodeWords } from '../../core/mail/rfc2047.js';
import { decodeThreadIndex } from '../../core/mail/threadIndex.js';
import { getMessageBytes, getMessageContent } from '../../core/node/mailparse.js';
import { getDecision, getMessageRow, listRuns, loadTracked, type Workspace } from '../../core/node/workspace/index.js';
import { countMessages, flagsOf, listMessagePage } from '../../core/node/workspace/messageList.js';
import { listQuarantined } from '../../core/node/workspace/quarantine.js';
import { messagePlace } from '../../core/node/workspace/workspaceTotals.js';
import { chainAround } from './chain.js';
import type { HandlerSlice, HostContext } from './context.js';
import { HostError } from './errors.js';
import type { PathAllowList } from './paths.js';
import { emailRefs, entitiesReferredTo, entityNames, idsReferredTo } from './refs.js';
import { bodyFailure, sourceRefusal } from './sourceAccess.js';
import { hashMatchView, type EmailSide } from './views.js';
import { withDecidingSettings } from './why.js';

export type MessageMethod = 'messages.list' | 'messages.get' | 'messages.body' | 'messages.quarantined' | 'chain.get' | 'hash.match';

/**
 * Every header of a message in order, read again from its source (the workspace keeps only the few the
 * engine needs); encoded words decoded for reading. Null when the source cannot be read (moved or
 * deleted): the caller then shows the stored subset.
 */
function allHeaders(w: Workspace, id: number, allow: PathAllowList): { name: string; value: string }[] | null {
  if (sourceRefusal(w, id, allow)) return null;
  try {
    return splitHeaderBlock(getMessageBytes(w, id)).fields.map((f) => ({ name: f.name, value: decodeWords(f.value) }));
  } catch {
    return null;
  }
}

const notInWorkspace = (key: string): HostError => new HostError('NOT_FOUND', `Message ${key} is not in this workspace: refresh the message list.`);

function messageId(key: string): number {
  const id = Number(key);
  if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) throw notInWorkspace(key);
  return id;
}

/** The run a view asks for: undefined is the latest (or none), null is none. */
function pickRun(w: Workspace, requested: number | null | undefined) {
  const runs = listRuns(w);
  if (requested === null) return null;
  if (requested === undefined) return runs[runs.length - 1] ?? null;
  const run = runs.find((r) => r.id === requested);
  if (!run) throw new HostError('NOT_FOUND', `Run ${requested} does not exist in this workspace: pick one from the runs list.`);
  return run;
}

/** A message (by key) or a tracked email (by id) as the two sides of a hash comparison. */
function emailSide(w: Workspace, id: string): EmailSide {
  if (/^\d+$/.test(id)) {
    const row = getMessageRow(w, Number(id));
    if (row) return { id, subject: row.subject, from: row.from_addr, to: JSON.parse(row.to_json) as string[], cc: JSON.parse(row.cc_json) as string[] };
  }
  const t = loadTracked(w).find((x) => x.id === id);
  if (!t) throw new HostError('NOT_FOUND', `No message or tracked email with id ${id} in this workspace.`);
  return { id, subject: t.subject, from: t.from, to: t.to, cc: t.cc };
}

function messageDetail(w: Workspace, allow: PathAllowList, key: string, requestedRun: number | null | undefined): MessageDetail {
  const id = Number(key);
  const row = Number.isSafeInteger(id) ? getMessageRow(w, id) : null;
  if (!row) throw notInWorkspace(key);
  const place = messagePlace(w, row.mailbox_id, row.folder_id);
  if (!place) throw notInWorkspace(key);
  const runs = listRuns(w);
  const runId = requestedRun === undefined ? (runs[runs.length - 1]?.id ?? null) : requestedRun;
  const stored = runId === null ? null : getDecision(w, runId, key);
  const decision = stored ? withDecidingSettings(stored) : null;
  const explanation = decision ? explainDecision(decision, `“${row.subject || '(no subject)'}”`) : [];
  const headers = allHeaders(w, id, allow) ?? Object.entries(JSON.parse(row.headers_json) as Record<string, string>).map(([name, value]) => ({ name, value }));
  let threadIndex: ThreadIndexView | null = null;
  if (row.thread_index) {
    const d = decodeThreadIndex(row.thread_index, row.date);
    threadIndex = {
      raw: row.thread_index,
      valid: d.valid,
      ...(d.problems.length ? { error: d.problems.join('; ') } : {}),
      headerTimeClassic: d.classicTime,
      headerTimeModern: d.modernTime,
      guid: d.valid ? d.guid : null,
      children: d.children.map((c, index) => ({ index, ...c })),
    };
  }
  // Without a decision the tokens are read with the settings of the run asked for (the defaults without one).
  const runSettings = (): Settings => (runId === null ? DEFAULT_SETTINGS : (runs.find((r) => r.id === runId)?.settings ?? DEFAULT_SETTINGS));
  return {
    key,
    headers,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: JSON.parse(row.references_json) as string[],
    subject: row.subject,
    from: row.from_addr,
    to: JSON.parse(row.to_json) as string[],
    cc: JSON.parse(row.cc_json) as string[],
    date: row.date,
    mailbox: place.mailbox,
    folder: place.folder,
    flags: flagsOf(row as unknown as Record<string, unknown>),
    threadIndex,
    tokens: decision?.tokenParts ?? parseTokens(row.subject, runSettings()).map((t) => ({ token: t.token, prefix: t.prefix, designator: t.designator, userNumber: t.userNumber, counter: t.counter })),
    decision,
    explanation,
    refs: decision ? emailRefs(w, idsReferredTo(decision, explanation)) : {},
    names: decision ? entityNames(w, entitiesReferredTo(decision, explanation)) : {},
    source: { file: row.source_path, offset: row.source_offset, length: row.source_length, sha256: row.sha256 },
  };
}

export function createMessageHandlers(ctx: HostContext): HandlerSlice<MessageMethod> {
  // Totals of recent list queries: scrolling asks for page after page of one query, and counting 100,000
  // rows again for each page is the slowest part of a page. They stand until the workspace's data or runs
  // change (ctx.version).
  const totals = new Map<string, number>();
  const MAX_TOTALS = 50;
  let totalsVersion = -1;

  return {
    'messages.list': (req) => {
      const w = ctx.requireWs();
      const runs = listRuns(w);
      const runId = req.runId === undefined ? (runs[runs.length - 1]?.id ?? null) : req.runId;
      const filter = req.filter ?? {};
      if (totalsVersion !== ctx.version()) {
        totals.clear();
        totalsVersion = ctx.version();
      }
      const totalKey = JSON.stringify([w.file, runId, filter]);
      let total = totals.get(totalKey);
      if (total === undefined) {
        total = countMessages(w, runId, filter);
        if (totals.size >= MAX_TOTALS) totals.clear();
        totals.set(totalKey, total);
      }
      // Nothing matches (or the page lies past the end): no second scan for rows that cannot exist.
      if (req.offset >= total) return { total, offset: req.offset, rows: [] };
      return { total, offset: req.offset, rows: listMessagePage(w, runId, { filter, ...(req.sort ? { sort: req.sort } : {}), offset: req.offset, limit: req.limit }) };
    },

    'messages.get': ({ key, runId }) => messageDetail(ctx.requireWs(), ctx.allow, key, runId),

    'messages.body': async ({ key }) => {
      const w = ctx.requireWs();
      const id = messageId(key);
      const refusal = sourceRefusal(w, id, ctx.allow);
      if (refusal) throw new HostError('PATH_NOT_ALLOWED', refusal);
      let c;
      try {
        c = await getMessageContent(w, id);
      } catch (err) {
        // The mail parser's limits (e.g. "Max header size for a MIME node exceeded") and unreadable sources
        // are facts about this message, said in one sentence that names it (issue 12 item 11).
        throw new HostError('IMPORT_ERROR', bodyFailure(w, id, err));
      }
      return { html: c.html, text: c.text, attachments: c.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })) };
    },

    'messages.quarantined': ({ limit }) => listQuarantined(ctx.requireWs(), limit ?? 500),

    'chain.get': ({ key, runId }) => {
      const w = ctx.requireWs();
      const run = pickRun(w, runId);
      const graph = chainAround(w, run?.id ?? null, key);
      if (graph.nodes.length === 0) throw notInWorkspace(key);
      return graph;
    },

    'hash.match': ({ key, candidateId, runId }) => {
      const w = ctx.requireWs();
      const run = pickRun(w, runId);
      const settings = run?.settings ?? DEFAULT_SETTINGS;
      const message = emailSide(w, key);
      const target = candidateId ?? (run ? getDecision(w, run.id, key)?.correlatedTo : null) ?? null;
      if (!target) {
        throw new HostError('NOT_FOUND', `Message ${key} has no correlated email in this run: pass candidateId (a tracked email id or a message key) to compare with.`);
      }
      return hashMatchView(message, emailSide(w, target), settings);
    },
  };
}
