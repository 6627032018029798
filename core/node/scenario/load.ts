// Reads a scenario folder from disk: scenario.json plus the message files it names.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, toFacts } from '../../mail/facts.js';
import { getAllHeaders, getHeader, parseMsgIdList } from '../../mail/headers.js';
import { parseReceivedDate } from '../../mail/dates.js';
import { parseScenario, ScenarioError, toReplayInput, type Scenario } from '../../scenario/scenario.js';
import type { MessageFacts, ReplayInput } from '../../engine/index.js';

/**
 * A message's facts with what SIMULATOR §8 points 2 and 15 need beyond the single values core/mail keeps:
 * every Received date (topmost first) and every In-Reply-To id, in order.
 */
export function scenarioFacts(raw: Uint8Array, ctx: { key: string; mailbox: string; folder: string; order: number }): MessageFacts {
  const p = parseMessage(raw);
  const facts = toFacts(p, ctx);
  const receivedAll = getAllHeaders(p.fields, 'received').map((r) => parseReceivedDate(r).iso).filter((x): x is string => typeof x === 'string');
  if (receivedAll.length > 0) facts.receivedAll = receivedAll;
  const irt = parseMsgIdList(getHeader(p.fields, 'in-reply-to'));
  if (irt.length > 0) facts.inReplyToAll = irt;
  return facts;
}

export function loadScenario(dir: string): { scenario: Scenario; input: ReplayInput } {
  const file = join(dir, 'scenario.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`${file}: cannot read scenario: ${(e as Error).message}`);
  }
  const scenario = parseScenario(raw, file, (rel) => existsSync(join(dir, rel)));
  const facts = scenario.messages.map((m, i) => scenarioFacts(new Uint8Array(readFileSync(join(dir, m.file))), { key: m.file, mailbox: m.mailbox, folder: m.folder, order: i }));
  return { scenario, input: toReplayInput(scenario, facts) };
}
