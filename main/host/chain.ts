// The correlation chain around one message (issue view 4): every email linked to it through a run's
// decisions, walked both ways — up through what it correlated to (and its parent activity), down
// through the messages that correlated to it. Tracked emails that existed before the replay are nodes
// of their own. The path from the selected message up to its root is marked so the view can
// highlight it. Reads the workspace only through small indexed queries so a 100,000-message run
// answers at once.
import type { ChainEdge, ChainGraph, ChainNode } from '../../core/contract/contract.js';
import type { CorrelationMethod, Outcome } from '../../core/engine/index.js';
import type { Workspace } from '../../core/node/workspace/index.js';

/**
 * Enough for any real conversation, with room for the long ones a shared token or a loose smart-matching
 * setting builds (the view stays readable through its outline); a runaway chain is cut here.
 */
export const MAX_CHAIN_NODES = 1000;

interface DecisionLink {
  key: string;
  outcome: Outcome;
  method: CorrelationMethod;
  correlatedTo: string | null;
  parent: string | null;
}

export function chainAround(ws: Workspace, runId: number | null, key: string): ChainGraph {
  const db = ws.db;
  const decisionOf = runId === null
    ? () => null
    : (k: string): DecisionLink | null => {
        const r = db.prepare('SELECT message_key, outcome, correlation_method, correlated_to, decision_json FROM decisions WHERE run_id = ? AND message_key = ?')
          .get(runId, k) as { message_key: string; outcome: Outcome; correlation_method: CorrelationMethod; correlated_to: string | null; decision_json: string } | undefined;
        if (!r) return null;
        const parent = (JSON.parse(r.decision_json) as { parent?: string | null }).parent ?? null;
        return { key: r.message_key, outcome: r.outcome, method: r.correlation_method, correlatedTo: r.correlated_to, parent };
      };
  const childrenOf = runId === null
    ? () => []
    : (k: string): string[] =>
        (db.prepare('SELECT message_key FROM decisions WHERE run_id = ? AND correlated_to = ? ORDER BY seq LIMIT ?').all(runId, k, MAX_CHAIN_NODES) as { message_key: string }[])
          .map((r) => r.message_key);
  const messageNode = (k: string): Omit<ChainNode, 'selected' | 'outcome'> | null => {
    if (!/^\d{1,15}$/.test(k)) return null;
    const r = db.prepare('SELECT id, subject, from_addr, date FROM messages WHERE id = ?').get(Number(k)) as
      { id: number; subject: string; from_addr: string | null; date: string | null } | undefined;
    return r ? { id: k, kind: 'message', label: r.from_addr ?? `message ${k}`, subject: r.subject, date: r.date } : null;
  };
  const trackedNode = (id: string): Omit<ChainNode, 'selected' | 'outcome'> | null => {
    const r = db.prepare('SELECT id, subject, from_addr, sent_on FROM tracked_emails WHERE id = ?').get(id) as
      { id: string; subject: string; from_addr: string | null; sent_on: string } | undefined;
    // Users see who sent it, never the row id of the export or scenario it came from.
    return r ? { id, kind: 'tracked', label: r.from_addr ?? 'tracked email (no sender)', subject: r.subject, date: r.sent_on } : null;
  };

  const nodes = new Map<string, ChainNode>();
  const edges = new Map<string, ChainEdge>();
  const decisions = new Map<string, DecisionLink | null>();
  const decision = (k: string): DecisionLink | null => {
    if (!decisions.has(k)) decisions.set(k, decisionOf(k));
    return decisions.get(k) ?? null;
  };
  const addNode = (id: string): boolean => {
    if (nodes.has(id)) return true;
    if (nodes.size >= MAX_CHAIN_NODES) return false;
    // A decision's key names a message; anything else a decision points at is a tracked email.
    const base = messageNode(id) ?? trackedNode(id);
    if (!base) return false;
    nodes.set(id, { ...base, outcome: base.kind === 'message' ? (decision(id)?.outcome ?? null) : null, selected: id === key });
    return true;
  };
  const linkUp = (d: DecisionLink): string[] => {
    const ups: string[] = [];
    if (d.correlatedTo && addNode(d.correlatedTo)) {
      edges.set(`${d.correlatedTo}>${d.key}`, { from: d.correlatedTo, to: d.key, method: d.method, parent: d.parent === d.correlatedTo, onSelectedPath: false });
      ups.push(d.correlatedTo);
    }
    // ConversationIndex can correlate to an ancestor yet record the direct parent: draw both.
    if (d.parent && d.parent !== d.correlatedTo && addNode(d.parent)) {
      edges.set(`${d.parent}>${d.key}`, { from: d.parent, to: d.key, method: d.method, parent: true, onSelectedPath: false });
      ups.push(d.parent);
    }
    return ups;
  };

  if (!addNode(key)) return { nodes: [], edges: [] };
  const queue = [key];
  const seen = new Set<string>();
  while (queue.length) {
    const k = queue.shift() as string;
    if (seen.has(k)) continue;
    seen.add(k);
    const d = decision(k);
    if (d) queue.push(...linkUp(d));
    for (const child of childrenOf(k)) {
      if (!addNode(child)) continue;
      const cd = decision(child);
      if (cd) linkUp(cd);
      queue.push(child);
    }
  }

  // The selected path: from the message up through what it correlated to, to the root.
  let at: string | null = key;
  const onPath = new Set<string>();
  while (at && !onPath.has(at)) {
    onPath.add(at);
    const d = decision(at);
    const up: string | null = d?.correlatedTo ?? null;
    if (up) {
      const e = edges.get(`${up}>${at}`);
      if (e) e.onSelectedPath = true;
    }
    at = up;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
