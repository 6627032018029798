// Compares two decision dumps (test/tools/decisionDump.ts) and prints the first differences readably:
// the message, the field or trace step, before and after; then one summary line.
//
//   npx tsx test/tools/compareDumps.ts BEFORE.dump AFTER.dump [--limit N]
//
// Exit codes: 0 identical (every record byte for byte), 1 different, 2 usage or a file that is not a dump.

import { parseArgs } from 'node:util';
import { compareRecords } from './dumpCompare.js';
import { DumpFormatError, readDump } from './dumpFormat.js';

const USAGE = `usage: npx tsx test/tools/compareDumps.ts BEFORE.dump AFTER.dump [--limit N]

Prints the first N differing messages (default 20) with each differing field or trace step, before and
after, then "identical: …" or "DIFFERENT: …". Exit 0 identical, 1 different, 2 usage.`;

function main(argv: string[]): number {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`compareDumps: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  const limitRaw = values.limit ?? '20';
  if (positionals.length !== 2 || !/^\d+$/.test(limitRaw)) {
    process.stderr.write(`compareDumps: give two dump files${/^\d+$/.test(limitRaw) ? '' : ` (--limit must be a whole number, got '${limitRaw}')`}\n${USAGE}\n`);
    return 2;
  }
  let before;
  let after;
  try {
    before = readDump(positionals[0] as string);
    after = readDump(positionals[1] as string);
  } catch (e) {
    if (e instanceof DumpFormatError) { process.stderr.write(`compareDumps: ${e.message}\n`); return 2; }
    throw e;
  }
  const c = compareRecords(before.records, after.records, { before: before.header.inputs, after: after.header.inputs }, Number(limitRaw));
  for (const l of c.lines) process.stdout.write(`${l}\n`);
  process.stdout.write(`${c.summary}\n`);
  return c.identical ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
