// `thread-index decode <base64> [--date ISO]`: the research §8 decode as a readable table.

import { decodeThreadIndex, type ThreadIndexDecode } from '../../engine/threadIndex.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

const USAGE = 'usage: thread-index decode <base64> [--date ISO]   (--date: the message Date, picks the wrap of modern-header children)';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export function formatDecode(d: ThreadIndexDecode): string {
  const rows: [string, string][] = [['input', d.input], ['bytes', `${d.bytes.length} (${d.hex || '-'})`], ['depth', String(d.depth)]];
  const h = d.header;
  if (h) {
    const flag = (t: { plausible: boolean }): string => (t.plausible ? '' : '  (implausible)');
    rows.push(
      ['header variant', h.variant],
      ['classic time', `${h.classicTime.iso}${flag(h.classicTime)}`],
      ['modern time', `${h.modernTime.iso}${flag(h.modernTime)}`],
      ['GUID (as stored)', `{${h.guid}}`],
      ['GUID (.NET bytes)', `{${h.guidDotNet}}`],
    );
  }
  for (const c of d.children) {
    rows.push([`child ${c.index}`, `${c.hex}  DC=${c.deltaCode} TimeDelta=0x${c.timeDelta.toString(16)} random=0x${c.random.toString(16).padStart(2, '0')}`]);
    rows.push(['  time', `${c.time.iso}${c.time.plausible ? '' : '  (implausible)'}  [${c.rule}]`]);
  }
  for (const e of d.errors) rows.push(['error', e]);
  for (const w of d.warnings) rows.push(['warning', w]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(rest, ['date']);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${USAGE}`);
    return 2;
  }
  const input = parsed.positionals[0];
  if (sub !== 'decode' || input === undefined) {
    io.err(USAGE);
    return 2;
  }
  const dateArg = parsed.options.get('date');
  const date = dateArg === undefined ? undefined : new Date(dateArg);
  if (date && Number.isNaN(date.getTime())) {
    io.err(`--date '${dateArg}' is not a date (use ISO 8601, e.g. 2020-09-01T20:07:11Z)`);
    return 2;
  }
  const d = decodeThreadIndex(input, date);
  io.out(formatDecode(d));
  return d.ok ? 0 : 1;
}
