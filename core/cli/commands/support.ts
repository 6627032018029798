// `support check FILE.json [--json]` (or `--config FILE.json`): per-mailbox supported-configuration verdicts
// (core/analysis/supportCheck.ts, research §11 + seed 000). Exit code 0 all supported, 1 something is
// limited or not supported, 2 usage / bad config.
// `support warnings TAG.json DIR [--mailbox ADDR] [--router] [--appointments] [--json]`: replays a scenario
// (or, with --router, a router scenario) and warns what the tagged profile could never have produced.

import { readFileSync } from 'node:fs';
import {
  checkSupport, EMPTY_SIMULATED_USE, parseMailboxProfileTag, parseSupportConfig, replayWarnings, simulatedUseFromReplay,
  type Finding, type SimulatedUse,
} from '../../analysis/supportCheck.js';
import { loadScenario } from '../../node/scenario/load.js';
import { replay } from '../../engine/index.js';
import { loadRouterScenario, routerInputFor } from '../../node/router/load.js';
import { replayRouter } from '../../router/replay.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage:
  support check FILE.json [--json]   (also: --config FILE.json)
  support warnings TAG.json DIR [--mailbox ADDR] [--router] [--appointments] [--json]`;


function line(f: Finding): string {
  return `      ${f.verdict.padEnd(13)} ${f.rule.padEnd(4)} ${f.reason}  [${f.source}]`;
}

/** What the scenario's replay simulates for one mailbox (router mode: what the sink delivered). */
function simulated(dir: string, router: boolean, mailbox: string | undefined): { use: SimulatedUse; mailbox: string } {
  if (router) {
    const l = loadRouterScenario(dir);
    const res = replayRouter(routerInputFor(l));
    const addr = mailbox ?? l.scenario.mailboxes[0]?.address ?? l.scenario.sink;
    const owner = l.scenario.mailboxes.find((m) => m.address.toLowerCase() === addr.toLowerCase())?.owner;
    const mine = res.decisions.filter((d) => d.delivered && (d.forwardedByRef === owner || (owner !== undefined && d.acceptingEntity === owner)));
    return { mailbox: addr, use: { ...EMPTY_SIMULATED_USE, routerMode: true, incomingTracked: mine.length } };
  }
  const l = loadScenario(dir);
  const addr = mailbox ?? l.input.mailboxes[0]?.address;
  if (!addr) throw new Error(`${dir}: the scenario has no mailbox`);
  return { mailbox: addr, use: simulatedUseFromReplay(l.input.messages, replay(l.input).decisions, addr) };
}

async function warnings(rest: string[], io: Out): Promise<number> {
  const options = { mailbox: { type: 'string' }, router: { type: 'boolean' }, appointments: { type: 'boolean' }, json: { type: 'boolean' } } as const;
  return runCommand({ name: 'support warnings', usage: USAGE, options }, rest, io, (a) => {
    if (a.positionals.length !== 2) throw new UsageError('support warnings needs TAG.json and a scenario DIR');
    const [tagFile, dir] = a.positionals as [string, string];
    let out;
    try {
      const tag = parseMailboxProfileTag(JSON.parse(readFileSync(tagFile, 'utf8')), tagFile);
      const sim = simulated(dir, a.values.router === true, a.values.mailbox);
      if (a.values.appointments) sim.use.itemKinds = ['email', 'appointments-contacts-tasks'];
      out = { mailbox: sim.mailbox, simulated: sim.use, warnings: replayWarnings(tag, sim.use) };
    } catch (e) {
      const msg = (e as Error).message;
      io.err(msg.startsWith(tagFile) || msg.includes('scenario') ? msg : `${tagFile}: ${msg}`);
      return 2;
    }
    if (a.values.json) io.out(JSON.stringify(out, null, 2));
    else {
      io.out(`${out.mailbox}: ${out.simulated.incomingTracked} incoming, ${out.simulated.sentItemsTracked} Sent Items, ${out.simulated.folderLevelTracked} folder-level tracked${out.simulated.routerMode ? ' (router mode)' : ''}`);
      if (out.warnings.length === 0) io.out('  no warnings: the tagged configuration could have produced this replay');
      for (const w of out.warnings) io.out(`  ${w.severity.padEnd(11)} ${(w.rule ?? '-').padEnd(4)} ${w.message}  [${w.source}]`);
    }
    return out.warnings.some((w) => w.severity !== 'caution') ? EXIT.failure : EXIT.ok;
  });
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runSubcommand('support', USAGE, argv, io, {
    warnings: (rest) => warnings(rest, io),
    check: (rest) => check(rest, io),
  });
}

async function check(rest: string[], io: Out): Promise<number> {
  return runCommand({ name: 'support check', usage: USAGE, options: { config: { type: 'string' }, json: { type: 'boolean' } } }, rest, io, (a) => {
    if (a.positionals.length > 1 || (a.positionals.length === 1 && a.values.config !== undefined)) throw new UsageError('give one configuration file');
    const file = a.values.config ?? a.positionals[0];
    const asJson = a.values.json === true;
    if (!file) throw new UsageError('a configuration FILE.json is required');
    let report;
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
      report = checkSupport(parseSupportConfig(raw, file));
    } catch (e) {
      io.err(e instanceof Error && e.message.startsWith(file) ? e.message : `${file}: ${(e as Error).message}`);
      return 2;
    }
    if (asJson) io.out(JSON.stringify(report, null, 2));
    else {
      if (report.organization.length) {
        io.out('Organization:');
        for (const f of report.organization) io.out(line(f).slice(2));
      }
      for (const m of report.mailboxes) {
        io.out(`${m.mailboxId}: ${m.verdict}`);
        for (const it of m.items) {
          io.out(`  ${it.itemKind}: ${it.verdict}`);
          for (const f of it.findings) io.out(line(f));
        }
      }
    }
    return report.mailboxes.every((m) => m.verdict === 'supported') ? EXIT.ok : EXIT.failure;
  });
}
