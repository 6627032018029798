// `workspace stats --workspace FILE [--json]`

import { openForReading } from './openForReading.js';
import { workspaceStats } from '../../node/workspace/repo.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = 'usage: workspace stats --workspace FILE [--json]';

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, ['workspace'], ['json']);
    if (args.positionals[0] !== 'stats' || args.positionals.length !== 1) throw new UsageError('the only subcommand is "stats"');
    if (!args.options.get('workspace')) throw new UsageError('--workspace FILE is required');
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`workspace: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  try {
    const ws = openForReading(args.options.get('workspace') as string);
    try {
      const s = workspaceStats(ws);
      if (args.flags.has('json')) {
        process.stdout.write(JSON.stringify(s, null, 2) + '\n');
        return 0;
      }
      const lines = [
        `Workspace ${s.file} (schema ${s.schemaVersion})`,
        `  messages ${s.messages}, quarantined ${s.quarantined}, inner ${s.inner}, sources ${s.sources}`,
        `  directory ${s.directoryEntries}, tracked emails ${s.trackedEmails}, settings profiles ${s.settingsProfiles}, runs ${s.runs}`,
        `  flags: ${Object.entries(s.flags).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      ];
      for (const m of s.mailboxes) {
        lines.push(`  mailbox ${m.address} (${m.owner}): ${m.messages} messages, ${m.quarantined} quarantined, ${m.inner} inner`);
        for (const f of m.folders) lines.push(`    ${f.path}: ${f.messages}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    } finally {
      ws.close();
    }
  } catch (err) {
    process.stderr.write(`workspace: ${(err as Error).message}\n`);
    return 1;
  }
}
