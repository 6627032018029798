// `inspect FILE.eml|FILE.msg [--json]`: the correlation-relevant facts of one message.

import fs from 'node:fs';
import { parseMessage, type ParsedMessage } from '../../mail/facts.js';
import { readMsg, isCfb } from '../../node/import/msg.js';
import { EXIT, runCommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage: inspect FILE.eml|FILE.msg [--json]

The correlation-relevant facts of one message: identifiers, addresses, dates, Thread-Index decoded,
flags (auto-reply, S/MIME, PEC), inner messages and parse defects.`;

export interface InspectReport {
  file: string;
  format: 'eml' | 'msg';
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  date: { raw: string | null; iso: string | null };
  received: string | null;
  threadIndex: null | { raw: string; hex: string; valid: boolean; problems: string[]; variant: string; headerTime: string | null; plausible: boolean; guid: string; depth: number; children: Array<{ deltaCode: number; timeDelta: number; random: number; time: string | null }> };
  threadTopic: string | null;
  contentType: string;
  smimeType: string | null;
  protocol: string | null;
  pec: string | null;
  headers: Record<string, string>;
  flags: ParsedMessage['flags'];
  innerMessages: Array<{ path: string; filename: string | null; messageId: string | null; subject: string; threadIndex: string | null }>;
  defects: string[];
}

export function inspectBytes(file: string, bytes: Uint8Array): InspectReport {
  const msg = isCfb(bytes);
  const p = msg ? readMsg(bytes).parsed : parseMessage(bytes);
  const ti = p.threadIndexDecoded;
  return {
    file,
    format: msg ? 'msg' : 'eml',
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    subject: p.subject,
    from: p.from?.address ?? null,
    to: p.to.map((a) => a.address),
    cc: p.cc.map((a) => a.address),
    bcc: p.bcc.map((a) => a.address),
    replyTo: p.replyTo.map((a) => a.address),
    date: { raw: p.dateRaw, iso: p.date },
    received: p.received,
    threadIndex: ti && p.threadIndex ? {
      raw: p.threadIndex, hex: ti.hex, valid: ti.valid, problems: ti.problems, variant: ti.variant, headerTime: ti.headerTime,
      plausible: ti.plausible, guid: ti.guid, depth: ti.depth, children: ti.children,
    } : null,
    threadTopic: p.threadTopic,
    contentType: p.contentType.mimeType,
    smimeType: p.smimeType,
    protocol: p.protocol,
    pec: p.pec,
    headers: p.headers,
    flags: p.flags,
    innerMessages: p.inner.map((ref) => {
      const inner = parseMessage((bytes as Uint8Array).subarray(ref.offset, ref.offset + ref.length));
      return { path: ref.path, filename: ref.filename, messageId: inner.messageId, subject: inner.subject, threadIndex: inner.threadIndex };
    }),
    defects: p.defects,
  };
}

function text(r: InspectReport): string {
  const L: string[] = [];
  const f = r.flags;
  L.push(`${r.file} (${r.format})`);
  L.push(`  Message-ID   ${r.messageId ?? '(none — not invented)'}`);
  L.push(`  In-Reply-To  ${r.inReplyTo ?? '-'}`);
  L.push(`  References   ${r.references.length ? r.references.join(' ') : '-'}`);
  L.push(`  Subject      ${r.subject}`);
  L.push(`  From         ${r.from ?? '-'}`);
  L.push(`  To           ${r.to.join(', ') || '-'}`);
  if (r.cc.length) L.push(`  Cc           ${r.cc.join(', ')}`);
  if (r.bcc.length) L.push(`  Bcc          ${r.bcc.join(', ')}`);
  if (r.replyTo.length) L.push(`  Reply-To     ${r.replyTo.join(', ')}`);
  L.push(`  Date         ${r.date.iso ?? 'UNREADABLE'}${r.date.raw !== null ? `  (raw: ${r.date.raw})` : '  (no Date header)'}`);
  L.push(`  Received     ${r.received ?? '-'}`);
  if (r.threadIndex) {
    const t = r.threadIndex;
    L.push(`  Thread-Index ${t.raw}`);
    L.push(`    ${t.valid ? 'valid' : 'INVALID: ' + t.problems.join('; ')}, ${t.variant} header, time ${t.headerTime ?? '?'}${t.plausible ? '' : ' (implausible)'}, GUID {${t.guid}}, depth ${t.depth}`);
    t.children.forEach((c, i) => L.push(`    child ${i + 1}: DC=${c.deltaCode} delta=0x${c.timeDelta.toString(16)} random=0x${c.random.toString(16).padStart(2, '0')} → ${c.time ?? '?'}`));
  } else {
    L.push('  Thread-Index -');
  }
  if (r.threadTopic !== null) L.push(`  Thread-Topic ${r.threadTopic}`);
  L.push(`  Content-Type ${r.contentType}${r.smimeType ? `; smime-type=${r.smimeType}` : ''}${r.protocol ? `; protocol=${r.protocol}` : ''}`);
  const on = Object.entries(f).filter(([k, v]) => v === true && k !== 'autoReplyReasons').map(([k]) => k);
  L.push(`  Flags        ${on.join(', ') || 'none'}`);
  if (f.autoReply) L.push(`  Auto-reply   ${f.autoReplyReasons.join('; ')} (SSS tracks auto-replies like any message)`);
  for (const [k, v] of Object.entries(r.headers)) if (!['content-type', 'thread-index', 'thread-topic'].includes(k)) L.push(`  ${k}: ${v}`);
  for (const i of r.innerMessages) L.push(`  Inner ${i.path}${i.filename ? ` (${i.filename})` : ''}: ${i.messageId ?? '(no Message-ID)'} "${i.subject}"${i.threadIndex ? ` Thread-Index ${i.threadIndex}` : ''}`);
  for (const d of r.defects) L.push(`  defect: ${d}`);
  return L.join('\n') + '\n';
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'inspect', usage: USAGE, options: { json: { type: 'boolean' } } }, argv, io, ({ values, positionals }) => {
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
    const file = positionals[0] as string;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      io.err(`inspect: ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return EXIT.failure;
    }
    try {
      const report = inspectBytes(file, bytes);
      const text_ = values.json ? JSON.stringify(report, null, 2) : text(report);
      io.out(text_.replace(/\n$/, ''));
      return EXIT.ok;
    } catch (err) {
      io.err(`inspect: ${file}: ${(err as Error).message}`);
      return EXIT.failure;
    }
  });
}
