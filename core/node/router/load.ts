// Reads a router scenario folder (assets/router-scenarios/*): scenario.json plus the .eml files that
// arrived in the sink mailbox, and builds the router replay input for a preset.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../../scenario/scenario.js';
import { parseRouterScenario, settingsFor, type RouterScenario } from '../../router/scenario.js';
import { sinkItemFromBytes } from '../../router/sinkItem.js';
import type { RouterInput, SinkItem } from '../../router/types.js';

export interface LoadedRouterScenario {
  dir: string;
  scenario: RouterScenario;
  items: SinkItem[];
}

export function loadRouterScenario(dir: string): LoadedRouterScenario {
  const file = join(dir, 'scenario.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`${file}: cannot read router scenario: ${(e as Error).message}`);
  }
  const scenario = parseRouterScenario(raw, file, (rel) => existsSync(join(dir, rel)));
  const items = scenario.messages.map((m, i) => sinkItemFromBytes(new Uint8Array(readFileSync(join(dir, m.file))), { key: m.file, order: i, sinkAddress: scenario.sink, deliverFailure: m.deliverFailure }));
  return { dir, scenario, items };
}

/** The replay input of a loaded scenario under its own preset, or under another one (what-if). */
export function routerInputFor(l: LoadedRouterScenario, preset: string = l.scenario.preset): RouterInput {
  const sc = l.scenario;
  return {
    settings: preset === sc.preset ? sc.settings : settingsFor(sc, preset), era: preset, sinkAddress: sc.sink,
    directory: { entries: sc.directory }, mailboxes: sc.mailboxes, tracked: sc.tracked, items: l.items,
  };
}
