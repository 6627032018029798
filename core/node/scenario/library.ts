// The training library: every scenario folder under a directory (assets/scenarios), listed with its
// lesson, and replayed on demand so the app can step through it one message at a time. A scenario
// that does not load is still listed, with the reason, so a broken lesson is visible, not missing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FILTER_NAMES, explainDecision, replay, DEFAULT_SETTINGS, diffSettings, settingMeta, type MessageFacts, type ReplayResult } from '../../engine/index.js';
import type { ScenarioStep, TrainingEmail } from '../../contract/contract.js';
import { topicOf } from '../../scenario/topics.js';
import { checkExpect, toRunResults, type Scenario } from '../../scenario/scenario.js';
import { loadScenario } from './load.js';

export interface ScenarioListing {
  id: string;
  dir: string;
  title: string;
  lesson: string;
  topic: string;
  messageCount: number;
  error?: string;
}

export interface ScenarioRun {
  id: string;
  scenario: Scenario;
  facts: MessageFacts[];
  result: ReplayResult;
}

/** One step of a scenario as the Training view shows it: the contract's type, so host and UI agree. */
export type ScenarioStepView = ScenarioStep;

export class ScenarioLibraryError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message);
  }
}

/** Scenario folders (those holding a scenario.json), sorted by name: the numbering is the teaching order. */
export function scenarioIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'scenario.json')))
    .map((e) => e.name)
    .sort();
}

export class ScenarioLibrary {
  private readonly runs = new Map<string, ScenarioRun>();

  constructor(readonly dir: string) {}

  list(): ScenarioListing[] {
    return scenarioIds(this.dir).map((id) => {
      try {
        const { scenario } = loadScenario(join(this.dir, id));
        return { id, dir: join(this.dir, id), title: scenario.title, lesson: scenario.lesson, topic: topicOf(id), messageCount: scenario.messages.length };
      } catch (err) {
        return { id, dir: join(this.dir, id), title: id, lesson: '', topic: topicOf(id), messageCount: 0, error: (err as Error).message };
      }
    });
  }

  /** Loads and replays a scenario once; later steps reuse the run (the library is read-only). */
  run(id: string): ScenarioRun {
    const cached = this.runs.get(id);
    if (cached) return cached;
    if (!scenarioIds(this.dir).includes(id)) {
      throw new ScenarioLibraryError('NOT_FOUND', `There is no training scenario "${id}" in ${this.dir}: pick one from the scenario list.`);
    }
    const { scenario, input } = loadScenario(join(this.dir, id));
    const run: ScenarioRun = { id, scenario, facts: input.messages, result: replay(input) };
    this.runs.set(id, run);
    return run;
  }

  /** The index-th decision in processing order (SIMULATOR §2 orders by received time, not file order). */
  step(id: string, index: number): ScenarioStepView {
    const run = this.run(id);
    const total = run.result.decisions.length;
    const decision = run.result.decisions[index];
    if (!decision) {
      throw new ScenarioLibraryError('INVALID_INPUT', `Scenario "${id}" has ${total} message${total === 1 ? '' : 's'}: step index ${index} must be between 0 and ${total - 1}.`);
    }
    const facts = run.facts.find((f) => f.key === decision.key);
    const expected = run.scenario.expect.find((e) => e.file === decision.key) ?? null;
    const mismatches = expected
      ? checkExpect([expected], toRunResults([decision])).mismatches.map((m) => ({ field: m.key, expected: m.expected, actual: m.actual }))
      : [];
    return {
      id,
      index,
      total,
      file: decision.key,
      subject: facts?.subject ?? '',
      mailbox: facts?.mailbox ?? '',
      folder: facts?.folder ?? '',
      from: facts?.from ?? null,
      decision,
      expected: expected ? { ...expected } : null,
      mismatches,
      trace: decision.trace,
      explanation: explainDecision(decision),
      settings: diffSettings(DEFAULT_SETTINGS, run.scenario.settings).map((d) => ({
        name: settingMeta(d.key).microsoftName,
        label: settingMeta(d.key).label,
        value: show(d.to),
        default: show(d.from),
      })),
      // The owner by name, as the trainee reads it in the directory, not the scenario's `user:` reference.
      mailboxes: run.scenario.mailboxes.map((b) => {
        const owner = run.scenario.directory.find((e) => e.ref === b.owner);
        return { address: b.address, owner: owner ? `${owner.name}, ${owner.kind}` : b.owner, filter: `${b.filter} ${FILTER_NAMES[b.filter]}` };
      }),
      earlier: earlierEmails(run, index),
    };
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The tracked emails the scenario starts with, then the messages processed before step `index`. */
function earlierEmails(run: ScenarioRun, index: number): TrainingEmail[] {
  const tracked: TrainingEmail[] = run.scenario.tracked.map((t) => ({
    id: t.id, kind: 'tracked', subject: t.subject, from: t.from, date: t.sentOn, messageId: t.messageId,
    token: t.trackingToken, conversationIndex: t.conversationIndex, regarding: t.regarding, outcome: null,
  }));
  const messages: TrainingEmail[] = run.result.decisions.slice(0, index).map((d) => {
    const f = run.facts.find((x) => x.key === d.key);
    return {
      id: d.key, kind: 'message', subject: f?.subject ?? '', from: f?.from ?? null, date: f?.received ?? f?.date ?? null,
      messageId: f?.messageId ?? null, token: d.tokenParts[0]?.token ?? null, conversationIndex: f?.threadIndex ?? null,
      regarding: d.regarding, outcome: d.outcome,
    };
  });
  return [...tracked, ...messages];
}
