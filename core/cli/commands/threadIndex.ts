// `thread-index decode <base64> [--date ISO]`: the research §8 decode as a readable table.

import { decodeThreadIndex, type ThreadIndexDecode } from '../../engine/index.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const USAGE = 'usage: thread-index decode <base64> [--date ISO]   (--date: the message Date, picks the wrap of modern-header children)';


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
  return runSubcommand('thread-index', USAGE, argv, io, {
    decode: (rest) => runCommand({ name: 'thread-index decode', usage: USAGE, options: { date: { type: 'string' } } }, rest, io, ({ values, positionals }) => {
      const input = positionals[0];
      if (input === undefined || positionals.length > 1) throw new UsageError('give exactly one base64 Thread-Index');
      const date = values.date === undefined ? undefined : new Date(values.date);
      if (date && Number.isNaN(date.getTime())) throw new UsageError(`--date '${values.date}' is not a date (use ISO 8601, e.g. 2020-09-01T20:07:11Z)`);
      const d = decodeThreadIndex(input, date);
      io.out(formatDecode(d));
      return d.ok ? EXIT.ok : EXIT.failure;
    }),
  });
}
