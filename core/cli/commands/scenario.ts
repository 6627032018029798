// `scenario run DIR [--json]` and `scenario check DIR [DIR...]` (SCENARIO-FORMAT.md).

import { loadScenario } from '../../node/scenario/load.js';
import { replay } from '../../engine/index.js';
import { checkExpect, toRunResults } from '../../scenario/scenario.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const RUN_USAGE = `usage: scenario run DIR [--json]

Replays the scenario and prints one result per message; with --json, exactly one JSON array.`;
const CHECK_USAGE = `usage: scenario check DIR [DIR...]

Replays each scenario and compares it with its expect: one line per mismatch, then "N passed, N failed".
Exit 0 when none failed, 1 when some failed, 2 when a scenario could not be read.`;
const USAGE = 'usage: scenario run DIR [--json] | scenario check DIR [DIR...]   (each takes --help)';

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runSubcommand('scenario', USAGE, argv, io, {
    run: (rest) => runCommand({ name: 'scenario run', usage: RUN_USAGE, options: { json: { type: 'boolean' } } }, rest, io, ({ values, positionals }) => {
      if (positionals.length !== 1) throw new UsageError('give exactly one scenario DIR');
      let loaded;
      try { loaded = loadScenario(positionals[0] as string); } catch (e) { io.err((e as Error).message); return EXIT.usage; }
      const results = toRunResults(replay(loaded.input).decisions);
      if (values.json) { io.out(JSON.stringify(results, null, 2)); return EXIT.ok; }
      io.out(loaded.scenario.title);
      for (const r of results) io.out(`${r.file.padEnd(36)} ${r.outcome.padEnd(20)} ${r.correlationMethod.padEnd(18)} corr=${r.correlatedTo ?? '-'} reg=${r.regarding ?? '-'} accept=${r.acceptingEntity ?? '-'} mbx=${r.receivingMailbox ?? '-'}`);
      return EXIT.ok;
    }),
    check: (rest) => runCommand({ name: 'scenario check', usage: CHECK_USAGE, options: {} }, rest, io, ({ positionals }) => {
      if (positionals.length === 0) throw new UsageError('give at least one scenario DIR');
      let passed = 0; let failed = 0; let unreadable = false;
      for (const dir of positionals) {
        let loaded;
        try { loaded = loadScenario(dir); } catch (e) { io.err((e as Error).message); unreadable = true; continue; }
        const res = checkExpect(loaded.scenario.expect, toRunResults(replay(loaded.input).decisions));
        for (const m of res.mismatches) io.out(`${dir}\t${m.file}\t${m.key}\texpected ${JSON.stringify(m.expected)}\tactual ${JSON.stringify(m.actual)}`);
        passed += res.passed; failed += res.failed;
      }
      io.out(`${passed} passed, ${failed} failed`);
      return unreadable ? EXIT.usage : failed > 0 ? EXIT.failure : EXIT.ok;
    }),
  });
}
