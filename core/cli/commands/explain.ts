// `explain --workspace FILE --message ID [--run N]`: the decision of one message as prose (latest run by default).

import { openForReading } from './openForReading.js';
import { getDecision, listRuns } from '../../node/workspace/index.js';
import { explainDecision } from '../../engine/index.js';
import { EXIT, runCommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage: explain --workspace FILE --message ID [--run N]

The decision of one message as prose, from the latest saved run (or run N).`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  const options = { workspace: { type: 'string' }, message: { type: 'string' }, run: { type: 'string' } } as const;
  return runCommand({ name: 'explain', usage: USAGE, options }, argv, io, ({ values, positionals }) => {
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const file = values.workspace;
    const key = values.message;
    if (!file || !key) throw new UsageError('--workspace and --message are required');
    const runArg = values.run;
    if (runArg !== undefined && !/^\d+$/.test(runArg)) throw new UsageError(`--run must be a run number, got '${runArg}'`);
    let ws;
    try { ws = openForReading(file); } catch (e) { io.err((e as Error).message); return EXIT.failure; }
    try {
      const runs = listRuns(ws);
      const runId = runArg !== undefined ? Number(runArg) : Math.max(...runs.map((r) => r.id));
      if (!Number.isFinite(runId)) { io.err(`${file}: no replay run saved yet; run \`replay --workspace ${file}\` first`); return EXIT.failure; }
      const d = getDecision(ws, runId, key);
      if (!d) { io.err(`${file}: run ${runId} has no decision for message ${key}`); return EXIT.failure; }
      io.out(explainDecision(d).join('\n\n'));
      return EXIT.ok;
    } finally {
      ws.close();
    }
  });
}
