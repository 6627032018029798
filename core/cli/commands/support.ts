// `support check --config FILE.json [--json]`: per-mailbox supported-configuration verdicts
// (core/analysis/supportCheck.ts, research §11 + seed 000). Exit code 0 all supported, 1 something is
// limited or not supported, 2 usage / bad config.

import { readFileSync } from 'node:fs';
import { checkSupport, parseSupportConfig, type Finding } from '../../analysis/supportCheck.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = 'usage: support check --config FILE.json [--json]';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

function line(f: Finding): string {
  return `      ${f.verdict.padEnd(13)} ${f.rule.padEnd(4)} ${f.reason}  [${f.source}]`;
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  let file: string | undefined;
  let asJson = false;
  try {
    const [sub, ...rest] = argv;
    if (sub !== 'check') throw new UsageError(sub === undefined ? 'missing subcommand' : `unknown subcommand ${sub}`);
    const a = parseArgs(rest, ['config'], ['json']);
    file = a.options.get('config');
    asJson = a.flags.has('json');
    if (!file) throw new UsageError('--config FILE.json is required');
  } catch (e) {
    if (e instanceof UsageError) { io.err(`${e.message}\n${USAGE}`); return 2; }
    throw e;
  }
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
  return report.mailboxes.every((m) => m.verdict === 'supported') ? 0 : 1;
}
