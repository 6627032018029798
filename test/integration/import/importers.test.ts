import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../core/node/import/importer.js';
import { readMbox } from '../../../core/node/import/mbox.js';
import { getMessageBytes, getMessageContent } from '../../../core/node/mailparse.js';
import { openWorkspace, type Workspace } from '../../../core/node/workspace/open.js';
import { loadMessages, loadReplayInput, workspaceStats } from '../../../core/node/workspace/repo.js';
import { generateMessages, writeMaildir, writeMbox } from '../../support/generateMailbox.js';
import { copyFixtures, FIXTURES, tempDir } from './helpers.js';

const dirs: string[] = [];
function fresh(): { dir: string; ws: Workspace } {
  const dir = tempDir();
  dirs.push(dir);
  return { dir, ws: openWorkspace(path.join(dir, 'ws.synclens')) };
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function hashTree(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(fs.readFileSync(p)).update(String(fs.statSync(p).mtimeMs));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('.eml folders', () => {
  it('imports recursively, sub-folder path becomes the folder, Inbox at the root; a second import adds nothing', async () => {
    const { dir, ws } = fresh();
    const src = path.join(dir, 'src');
    copyFixtures(src, {
      'a.eml': 'encoded-headers.eml',
      'Projects/Alpha/b.eml': 'auto-reply-exchange.eml',
      'Projects/c.eml': 'no-message-id.eml',
    });
    const before = hashTree(src);
    const first = await importPaths(ws, [src], { mailbox: 'Alice@Example.com', owner: 'user:alice' });
    expect(first.counts).toEqual({ imported: 3, duplicate: 0, quarantined: 0, inner: 0 });
    const folders = loadMessages(ws).map((m) => [m.folder, m.subject]).sort();
    expect(folders).toEqual([
      ['Inbox', 'Réunion de suivi (€) and café crème plain'],
      ['Projects', 'No id here'],
      ['Projects/Alpha', 'Automatic reply: Contract renewal CRM:0001007'],
    ]);
    const second = await importPaths(ws, [src], { mailbox: 'alice@example.com' });
    expect(second.counts).toEqual({ imported: 0, duplicate: 3, quarantined: 0, inner: 0 });
    expect(workspaceStats(ws).messages).toBe(3);
    // Sources are only read: same bytes and modification times afterwards.
    expect(hashTree(src)).toBe(before);
    const input = loadReplayInput(ws);
    expect(input.mailboxes).toEqual([{ owner: 'user:alice', address: 'alice@example.com', filter: 1, processEmailsFrom: null, trackedFolders: [], incoming: true }]);
    ws.close();
  });

  it('--folder names the root folder; the same bytes in another mailbox are imported again', async () => {
    const { dir, ws } = fresh();
    copyFixtures(dir, { 'x/m.eml': 'obsolete-date.eml' });
    const a = await importPaths(ws, [path.join(dir, 'x')], { mailbox: 'a@example.com', folder: 'Sent Items' });
    const b = await importPaths(ws, [path.join(dir, 'x/m.eml')], { mailbox: 'queue@example.com', owner: 'queue:sales' });
    expect(a.counts.imported + b.counts.imported).toBe(2);
    expect(loadMessages(ws).map((m) => [m.mailbox, m.folder])).toEqual([['a@example.com', 'Sent Items'], ['queue@example.com', 'Inbox']]);
    expect(loadReplayInput(ws).mailboxes.find((m) => m.owner === 'queue:sales')?.filter).toBe(0);
    ws.close();
  });
});

describe('quarantine', () => {
  it('keeps unparsable input as a quarantined row with reason and location, and goes on', async () => {
    const { dir, ws } = fresh();
    copyFixtures(dir, { '1.txt': 'not-a-message.txt', '2.eml': 'pec-receipt.eml' });
    fs.writeFileSync(path.join(dir, '3.eml'), '');
    fs.writeFileSync(path.join(dir, '4.msg'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 7)]));
    const s = await importPaths(ws, [dir], { mailbox: 'a@example.com' });
    expect(s.counts).toEqual({ imported: 1, duplicate: 0, quarantined: 3, inner: 0 });
    expect(s.total).toBe(4);
    const reasons = Object.fromEntries(s.quarantined.map((q) => [path.basename(q.file), q.reason]));
    expect(reasons['1.txt']).toMatch(/not an email message/);
    expect(reasons['3.eml']).toMatch(/empty message/);
    expect(reasons['4.msg']).toMatch(/Outlook \.msg could not be read/);
    const rows = ws.db.prepare("SELECT s.path, m.source_offset, m.source_length, m.quarantine_reason FROM messages m JOIN sources s ON s.id = m.source_id WHERE m.status = 'quarantined' ORDER BY s.path").all() as Array<{ path: string; source_length: number; quarantine_reason: string }>;
    expect(rows.map((r) => path.basename(r.path))).toEqual(['1.txt', '3.eml', '4.msg']);
    expect(rows[2]?.source_length).toBe(608);
    // Quarantined rows are not messages of the replay.
    expect(loadMessages(ws)).toHaveLength(1);
    ws.close();
  });
});

describe('inner message/rfc822 parts', () => {
  it('are linked rows; their bytes are read back from the outer message, base64 decoded, and parsed on demand', async () => {
    const { dir, ws } = fresh();
    copyFixtures(dir, { 'f.eml': 'forward-as-attachment.eml', 'p.eml': 'pec-envelope.eml' });
    const s = await importPaths(ws, [dir], { mailbox: 'a@example.com' });
    expect(s.counts).toEqual({ imported: 2, duplicate: 0, quarantined: 0, inner: 3 });
    const inner = ws.db.prepare('SELECT id, parent_id, inner_path, message_id, subject FROM messages WHERE parent_id IS NOT NULL ORDER BY id').all() as Array<{ id: number; parent_id: number; message_id: string; subject: string }>;
    expect(inner.map((r) => r.message_id)).toEqual(['<fwd.inner@example.net>', '<b64.inner@example.net>', '<original.77@pec.example.it>']);
    const b64 = inner[1] as { id: number };
    expect(getMessageBytes(ws, b64.id).toString('latin1')).toMatch(/^From: other@example\.net\r\nSubject: Base64 inner/);
    const content = await getMessageContent(ws, (inner[0] as { id: number }).id);
    expect(content.text?.trim()).toBe('Inner body.');
    // The replay sees only the outer messages by default (SSS reads the envelope, research §9.2).
    expect(loadMessages(ws).map((m) => m.messageId)).toEqual(['<fwd.outer@example.com>', '<opec21.20240516101500.1234.56.1.7@pec.example.it>']);
    expect(loadMessages(ws, { includeInner: true })).toHaveLength(5);
    ws.close();
  });
});

describe('mbox', () => {
  it('splits mboxrd/mboxo, LF and CRLF, unquotes ">From " and reads bodies back byte-exact', async () => {
    for (const name of ['quoting.mbox', 'quoting-crlf.mbox']) {
      const { ws } = fresh();
      const file = path.join(FIXTURES, name);
      const s = await importPaths(ws, [file], { mailbox: 'a@example.com' });
      expect(s.counts.imported).toBe(4);
      const msgs = loadMessages(ws);
      expect(msgs.map((m) => m.messageId)).toEqual(['<mbox.1@example.com>', '<mbox.2@example.com>', '<mbox.3@example.com>', '<mbox.4@example.com>']);
      expect(msgs[1]?.inReplyTo).toBe('<mbox.1@example.com>');
      const eol = name.includes('crlf') ? '\r\n' : '\n';
      const body1 = getMessageBytes(ws, Number(msgs[0]?.key)).toString('latin1');
      expect(body1).toContain(`${eol}From the start of a line (quoted).${eol}>From doubly quoted in mboxrd.${eol}`);
      const body3 = getMessageBytes(ws, Number(msgs[2]?.key)).toString('latin1');
      expect(body3.endsWith(`last line${eol}`)).toBe(true);
      const content = await getMessageContent(ws, Number(msgs[1]?.key));
      expect(content.text?.trim()).toBe('reply body');
      ws.close();
    }
  });

  it('gives the same split whatever the read chunk size (boundaries across chunks)', async () => {
    const { dir } = fresh();
    const file = path.join(dir, 'g.mbox');
    await writeMbox(file, { seed: 3, messages: 60 });
    const collect = async (chunk: number): Promise<string[]> => {
      const out: string[] = [];
      for await (const m of readMbox(file, undefined, chunk)) out.push(`${m.offset}:${m.length}:${crypto.createHash('md5').update(m.bytes).digest('hex')}`);
      return out;
    };
    const big = await collect(1 << 20);
    expect(big).toHaveLength(60);
    for (const size of [7, 64, 1000]) expect(await collect(size)).toEqual(big);
    // Each range starts with the message's first header in the file.
    const buf = fs.readFileSync(file);
    for (const r of big) {
      const [off] = r.split(':').map(Number);
      expect(buf.toString('latin1', off, (off ?? 0) + 9)).toBe('Received:');
    }
  });

  it('readMbox names the file when it is not an mbox', async () => {
    const file = path.join(FIXTURES, 'pec-receipt.eml');
    await expect(async () => {
      for await (const _ of readMbox(file)) void _;
    }).rejects.toThrow(/pec-receipt\.eml: not an mbox file/);
  });

  it('an mbox holding only a "From " line and no message yields no messages and no error', async () => {
    const { dir, ws } = fresh();
    fs.writeFileSync(path.join(dir, 'x.mbox'), 'From ');
    const s = await importPaths(ws, [path.join(dir, 'x.mbox')], { mailbox: 'a@example.com' });
    expect(s.total).toBe(0);
    ws.close();
  });
});

describe('Maildir and Maildir++', () => {
  it('reads cur/ and new/ (not tmp/), and ".Sub.Folder" directories as folders', async () => {
    const { dir, ws } = fresh();
    const md = path.join(dir, 'Maildir');
    const gen = writeMaildir(md, { seed: 5, messages: 120 });
    fs.writeFileSync(path.join(md, 'tmp', 'partial'), 'From: x\n');
    const s = await importPaths(ws, [md], { mailbox: 'a@example.com' });
    expect(s.counts.imported).toBe(120);
    const byFolder = new Map<string, number>();
    for (const m of loadMessages(ws)) byFolder.set(m.folder, (byFolder.get(m.folder) ?? 0) + 1);
    const expected = new Map<string, number>();
    for (const g of gen) {
      const f = g.folder === 'Inbox' ? 'Inbox' : g.folder.replace(/^Inbox\//, '');
      expected.set(f, (expected.get(f) ?? 0) + 1);
    }
    expect(Object.fromEntries(byFolder)).toEqual(Object.fromEntries(expected));
    ws.close();
  });
});

describe('generated mailbox', () => {
  it('imports every generated fact: threads, Thread-Index chains, tokens, auto-replies', async () => {
    const { dir, ws } = fresh();
    const file = path.join(dir, 'g.mbox');
    await writeMbox(file, { seed: 11, messages: 500 });
    const gen = [...generateMessages({ seed: 11, messages: 500 })];
    await importPaths(ws, [file], { mailbox: 'a@example.com' });
    const facts = loadMessages(ws);
    expect(facts).toHaveLength(500);
    facts.forEach((f, i) => {
      const g = gen[i];
      expect(f.messageId).toBe(g?.messageId);
      expect(f.inReplyTo).toBe(g?.inReplyTo);
      expect(f.threadIndex).toBe(g?.threadIndex);
      expect(f.flags.autoReply).toBe(g?.autoReply);
      expect(f.subject).toBe(g?.subject);
    });
    ws.close();
  });
});

describe('progress and cancellation', () => {
  it('reports progress and stops when aborted; importing again completes the rest', async () => {
    const { dir, ws } = fresh();
    const file = path.join(dir, 'g.mbox');
    await writeMbox(file, { seed: 2, messages: 3000, bodyBytes: 2000 });
    const ctrl = new AbortController();
    const seen: number[] = [];
    const s = await importPaths(ws, [file], {
      mailbox: 'a@example.com',
      signal: ctrl.signal,
      onProgress: (p) => {
        seen.push(p.messages);
        expect(p.currentFile === file || p.currentFile === '').toBe(true);
        if (p.messages > 0) ctrl.abort();
      },
    });
    expect(s.cancelled).toBe(true);
    expect(s.total).toBeLessThan(3000);
    expect(seen.length).toBeGreaterThan(0);
    const rest = await importPaths(ws, [file], { mailbox: 'a@example.com' });
    expect(rest.counts.duplicate).toBe(s.total);
    expect(rest.counts.imported + rest.counts.duplicate).toBe(3000);
    ws.close();
  });
});
