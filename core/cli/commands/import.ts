// `import PATH... --workspace FILE --mailbox ADDRESS [--owner user:ID|queue:ID] [--folder NAME]`

import { importPaths, type ImportProgress } from '../../node/import/importer.js';
import { openWorkspace } from '../../node/workspace/open.js';
import { WorkspaceError } from '../../node/workspace/errors.js';
import { EXIT, parseOptions, std, UsageError, type Out } from '../args.js';
import { listMailboxes } from '../../node/workspace/repo.js';
import { orgMailbox } from '../../node/workspace/org.js';
import { choiceLabel, FILTERING_METHOD } from '../../org/choices.js';
import type { Workspace } from '../../node/workspace/open.js';

const USAGE = `usage: import PATH... --workspace FILE --mailbox ADDRESS [--owner user:ID|queue:ID] [--folder NAME] [--json]

Imports .eml files and folders, mbox, Maildir / Maildir++, Outlook .msg and Outlook .pst/.ost files into the
workspace (created when missing), as the messages of one mailbox. Messages that cannot be read are quarantined
with the reason; the rest goes on. The mailbox takes its owner, filtering method, Process Emails From and
tracked folders from the loaded organization (org import) when it holds that address; --owner overrides the
owner. Otherwise a new mailbox is owned by user:<local part of the address> with the default filter for users (1).`;

const OPTIONS = { workspace: { type: 'string' }, mailbox: { type: 'string' }, owner: { type: 'string' }, folder: { type: 'string' }, json: { type: 'boolean' } } as const;

/** Where the mailbox's configuration comes from, in one sentence. */
export function mailboxSource(ws: Workspace, address: string, ownerOption: string | undefined): { fromOrg: boolean; sentence: string } {
  const org = orgMailbox(ws, address);
  const m = listMailboxes(ws).find((b) => b.address === address.trim().toLowerCase());
  if (!m) return { fromOrg: false, sentence: `Mailbox ${address}: not in a loaded organization` };
  const filter = `filter ${m.filter} "${choiceLabel(FILTERING_METHOD, m.filter)}"`;
  const pef = `Process Emails From ${m.processEmailsFrom ?? 'not set'}`;
  if (org) {
    // People read the owner's name; the entity reference only when the org does not hold the name.
    const kind = org.owner.startsWith('queue:') ? 'queue' : 'user';
    const owner = ownerOption && ownerOption !== org.owner ? `owner ${m.owner} (from --owner; the organization says ${org.ownerName ?? org.owner})` : `owner ${org.ownerName ? `${org.ownerName} (${kind})` : m.owner}`;
    return {
      fromOrg: true,
      sentence: `Mailbox ${m.address} from the loaded organization (${org.file} row ${org.row}): ${owner}, ${filter} (${org.filterSource.split(':')[0]}), ` +
        `${pef} (${org.processEmailsFromSource}), ${m.incoming ? 'read by server-side synchronization' : 'not synchronized (its Incoming Email is not server-side synchronization)'}` +
        `${m.trackedFolders.length ? `, tracked folders ${m.trackedFolders.map((f) => f.folder).join(', ')}` : ''}`,
    };
  }
  return { fromOrg: false, sentence: `Mailbox ${m.address} is not in a loaded organization: owner ${m.owner}${ownerOption ? ' (from --owner)' : ''}, ${filter}, ${pef} (load the org's mailboxes with org import to use their real configuration)` };
}

function mb(n: number): string {
  return (n / 1048576).toFixed(1);
}

/** A one-line progress bar on stderr, redrawn at most every 100 ms (the importer throttles). */
function progressBar(p: ImportProgress): void {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const frac = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
  const filled = Math.round(frac * width);
  const file = p.currentFile.length > 40 ? '…' + p.currentFile.slice(-39) : p.currentFile;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ` +
    `${p.messages} msgs ${mb(p.bytes)}/${mb(p.totalBytes)} MB ${file}\x1b[K`);
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  let args;
  try {
    args = parseOptions(argv, OPTIONS);
    if (args.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (args.positionals.length === 0) throw new UsageError('give at least one PATH');
    if (!args.values.workspace) throw new UsageError('--workspace FILE is required');
    if (!args.values.mailbox) throw new UsageError('--mailbox ADDRESS is required');
    const owner = args.values.owner;
    if (owner !== undefined && !/^(user|queue):\S+$/.test(owner)) throw new UsageError(`--owner must be user:ID or queue:ID, not "${owner}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`import: ${err.message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw err;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const ws = openWorkspace(args.values.workspace as string);
    try {
      const owner = args.values.owner;
      const folder = args.values.folder;
      const summary = await importPaths(ws, args.positionals, {
        mailbox: args.values.mailbox as string,
        ...(owner ? { owner } : {}),
        ...(folder ? { folder } : {}),
        onProgress: progressBar,
        signal: controller.signal,
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      const source = mailboxSource(ws, args.values.mailbox as string, owner);
      if (args.values.json) {
        process.stdout.write(JSON.stringify({ ...summary, mailbox: source }, null, 2) + '\n');
      } else {
        process.stdout.write(`${source.sentence}\n`);
        const c = summary.counts;
        const secs = Math.max(summary.elapsedMs, 1) / 1000;
        process.stdout.write(`${summary.cancelled ? 'Cancelled' : 'Imported'} ${summary.files} file(s), ${summary.total} message(s) in ${secs.toFixed(1)} s ` +
          `(${Math.round(summary.total / secs)} msg/s)\n`);
        process.stdout.write(`  imported     ${c.imported}\n  duplicate    ${c.duplicate} (already in the workspace for this mailbox)\n` +
          `  quarantined  ${c.quarantined}\n  inner        ${c.inner} (forwarded / postacert messages linked to their outer message)\n`);
        // PST/OST: each folder's own item count beside what was read, so a missing item shows.
        for (const f of (summary.pstFolders ?? []).filter((x) => x.contentCount > 0 || x.problems.length > 0)) {
          const skipped = Object.entries(f.skipped).map(([k, n]) => `${n} ${k || 'unclassed'}`).join(', ');
          process.stdout.write(`  ${f.folder}: ${f.contentCount} item(s) in the PST, ${f.read} read, ${f.imported} imported` +
            `${skipped ? `, skipped (not mail): ${skipped}` : ''}${f.problems.length ? `; ${f.problems.join('; ')}` : ''}\n`);
        }
        for (const q of summary.quarantined.slice(0, 20)) process.stdout.write(`  ! ${q.file} @${q.offset}+${q.length}: ${q.reason}\n`);
        if (summary.quarantined.length > 20) process.stdout.write(`  … ${summary.quarantined.length - 20} more quarantined (see workspace stats)\n`);
        if (summary.skippedCount > 0) {
          process.stdout.write(`  skipped      ${summary.skippedCount} (found, not imported)\n`);
          for (const k of summary.skipped.slice(0, 20)) process.stdout.write(`  ! ${k.path}: ${k.reason}\n`);
          if (summary.skippedCount > 20) process.stdout.write(`  … ${summary.skippedCount - 20} more skipped (import --json lists them)\n`);
        }
      }
      return summary.cancelled ? 130 : 0;
    } finally {
      ws.close();
    }
  } catch (err) {
    if (err instanceof WorkspaceError || err instanceof Error) {
      io.err(`import: ${err.message}`);
      return EXIT.failure;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
