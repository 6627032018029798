// `workspace stats --workspace FILE [--json]`

import { openForReading } from './openForReading.js';
import { workspaceStats } from '../../node/workspace/repo.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage: workspace stats --workspace FILE [--json]

Counts of a workspace: messages, quarantined, inner messages, sources, directory, tracked emails,
settings profiles, runs, and per mailbox and folder.`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runSubcommand('workspace', USAGE, argv, io, {
    stats: (rest) => runCommand({ name: 'workspace stats', usage: USAGE, options: { workspace: { type: 'string' }, json: { type: 'boolean' } } }, rest, io, (args) => stats(args.values, args.positionals, io)),
  });
}

function stats(values: { workspace?: string; json?: boolean }, positionals: string[], io: Out): number {
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.workspace) throw new UsageError('--workspace FILE is required');
  try {
    const ws = openForReading(values.workspace);
    try {
      const s = workspaceStats(ws);
      if (values.json) {
        io.out(JSON.stringify(s, null, 2));
        return EXIT.ok;
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
      io.out(lines.join('\n'));
      return EXIT.ok;
    } finally {
      ws.close();
    }
  } catch (err) {
    io.err(`workspace: ${(err as Error).message}`);
    return EXIT.failure;
  }
}
