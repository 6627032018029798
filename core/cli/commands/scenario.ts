// `scenario run DIR [--json]` and `scenario check DIR [DIR...]` (SCENARIO-FORMAT.md).

import { loadScenario } from '../../node/scenario/load.js';
import { replay } from '../../engine/replay.js';
import { checkExpect, toRunResults } from '../../scenario/scenario.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') {
    const json = rest.includes('--json');
    const dirs = rest.filter((a) => a !== '--json');
    if (dirs.length !== 1) { io.err('usage: scenario run DIR [--json]'); return 64; }
    let loaded;
    try { loaded = loadScenario(dirs[0] as string); } catch (e) { io.err((e as Error).message); return 2; }
    const results = toRunResults(replay(loaded.input).decisions);
    if (json) { io.out(JSON.stringify(results, null, 2)); return 0; }
    io.out(loaded.scenario.title);
    for (const r of results) io.out(`${r.file.padEnd(36)} ${r.outcome.padEnd(20)} ${r.correlationMethod.padEnd(18)} corr=${r.correlatedTo ?? '-'} reg=${r.regarding ?? '-'} accept=${r.acceptingEntity ?? '-'} mbx=${r.receivingMailbox ?? '-'}`);
    return 0;
  }
  if (sub === 'check') {
    if (rest.length === 0) { io.err('usage: scenario check DIR [DIR...]'); return 64; }
    let passed = 0; let failed = 0; let unreadable = false;
    for (const dir of rest) {
      let loaded;
      try { loaded = loadScenario(dir); } catch (e) { io.err((e as Error).message); unreadable = true; continue; }
      const res = checkExpect(loaded.scenario.expect, toRunResults(replay(loaded.input).decisions));
      for (const m of res.mismatches) io.out(`${dir}\t${m.file}\t${m.key}\texpected ${JSON.stringify(m.expected)}\tactual ${JSON.stringify(m.actual)}`);
      passed += res.passed; failed += res.failed;
    }
    io.out(`${passed} passed, ${failed} failed`);
    return unreadable ? 2 : failed > 0 ? 1 : 0;
  }
  io.err('usage: scenario run DIR [--json] | scenario check DIR [DIR...]');
  return 64;
}
