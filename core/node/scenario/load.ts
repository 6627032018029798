// Reads a scenario folder from disk: scenario.json plus the message files it names.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts } from '../../mail/facts.js';
import { parseScenario, ScenarioError, toReplayInput, type Scenario } from '../../scenario/scenario.js';
import type { ReplayInput } from '../../engine/types.js';

export function loadScenario(dir: string): { scenario: Scenario; input: ReplayInput } {
  const file = join(dir, 'scenario.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`${file}: cannot read scenario: ${(e as Error).message}`);
  }
  const scenario = parseScenario(raw, file, (rel) => existsSync(join(dir, rel)));
  const facts = scenario.messages.map((m, i) => extractFacts(new Uint8Array(readFileSync(join(dir, m.file))), { key: m.file, mailbox: m.mailbox, folder: m.folder, order: i }));
  return { scenario, input: toReplayInput(scenario, facts) };
}
