// `report --from RESULT.json [--html OUT] [--csv OUT] [--json OUT]`: renders a saved what-if, sweep or audit
// result (written by those commands with --json) as HTML or CSV, without replaying anything again.

import { readFileSync } from 'node:fs';
import { parseEnvelope } from '../../analysis/report.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, InputError, OUTPUT_OPTIONS, outputTargets, std, writeOutputs, type Out } from './analysisIo.js';

export const USAGE = `usage: report --from RESULT.json [--html OUT] [--csv OUT] [--json OUT]

Renders a result saved by \`whatif\`, \`sweep\` or \`audit\` with --json (a SyncLens report file) as a
self-contained HTML report (inline charts and styles, no scripts, no external loads; safe to file or mail)
and/or CSV. OUT is a file path, or - for stdout. At least one output is required.`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'report', usage: USAGE, options: { from: { type: 'string' }, ...OUTPUT_OPTIONS } }, argv, io, (args) => guarded(io, () => {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const from = args.values['from'];
    if (!from) throw new UsageError('--from RESULT.json is required');
    const targets = outputTargets(args.values);
    if (!targets.html && !targets.csv && !targets.json) throw new UsageError('give --html OUT and/or --csv OUT');
    let text: string;
    try { text = readFileSync(from, 'utf8'); } catch (e) { throw new InputError(`${from}: cannot read: ${(e as Error).message}`); }
    const env = parseEnvelope(text, from);
    writeOutputs(env, targets, io);
    return 0;
  }));
}
