// `explain --workspace FILE --message ID [--run N]`: the decision of one message as prose (latest run by default).

import { openForReading } from './openForReading.js';
import { getDecision, listRuns } from '../../node/workspace/index.js';
import { explainDecision } from '../../engine/explain.js';
import { parseArgs, UsageError } from './args.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function run(argv: string[], io: Out = std): Promise<number> {
  let args;
  try { args = parseArgs(argv, ['workspace', 'message', 'run']); } catch (e) { if (e instanceof UsageError) { io.err(e.message); return 64; } throw e; }
  const file = args.options.get('workspace');
  const key = args.options.get('message');
  if (!file || !key) { io.err('usage: explain --workspace FILE --message ID [--run N]'); return 64; }
  let ws;
  try { ws = openForReading(file); } catch (e) { io.err((e as Error).message); return 2; }
  try {
    const runs = listRuns(ws);
    const runArg = args.options.get('run');
    const runId = runArg !== undefined ? Number(runArg) : Math.max(...runs.map((r) => r.id));
    if (!Number.isFinite(runId)) { io.err(`${file}: no replay run saved yet; run \`replay --workspace ${file}\` first`); return 2; }
    const d = getDecision(ws, runId, key);
    if (!d) { io.err(`${file}: run ${runId} has no decision for message ${key}`); return 2; }
    io.out(explainDecision(d).join('\n\n'));
    return 0;
  } finally {
    ws.close();
  }
}
