// PST/OST import against the four real files in ../shared/corpora/pst. Expected counts are the ones
// SOURCES.md records there (what readpst 0.6.76 and pst-extractor 1.12.0 each read, per folder). Where
// readpst is installed (Debian package pst-utils), it is also run as an independent reader and its .eml
// files per folder must match what was imported; without it, the SOURCES.md counts are still asserted.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as runImport } from '../../../core/cli/commands/import.js';
import { importPaths, type ImportSummary } from '../../../core/node/import/importer.js';
import { openPst, walkPst } from '../../../core/node/import/pstRead.js';
import { getMessageBytes } from '../../../core/node/mailparse.js';
import { openWorkspace, type Workspace } from '../../../core/node/workspace/open.js';
import { sharedPath } from '../../support/shared.js';
import { tempDir } from './helpers.js';

const dir = sharedPath('corpora/pst', 'PST/OST import tests');
const tmp = tempDir('synclens-pst-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const readpstAvailable = spawnSync('readpst', ['-V'], { encoding: 'utf8' }).status === 0;
if (!readpstAvailable) console.warn('readpst (Debian package pst-utils) is not installed: the PST tests assert the SOURCES.md counts only, not agreement with a live readpst run.');

interface Expected {
  /** mailbox folder → [PST contentCount, mail items imported, non-mail items skipped] (SOURCES.md) */
  folders: Record<string, [number, number, number]>;
  transport: number;
  mapi: number;
  messageIds: number;
  inReplyTo: number;
}

// From SOURCES.md (tables per file); folders with 0 items are listed where SOURCES.md shows them processed.
const EXPECTED: Record<string, Expected> = {
  'testPST.pst': { folders: { Inbox: [7, 7, 0], 'Éléments supprimés': [0, 0, 0] }, transport: 6, mapi: 1, messageIds: 7, inReplyTo: 4 },
  'testPST_variousBodyTypes.pst': { folders: { Inbox: [0, 0, 0], 'Deleted Items': [0, 0, 0], 'Inbox/tmp': [4, 4, 0] }, transport: 4, mapi: 0, messageIds: 4, inReplyTo: 3 },
  'Outlook_1.pst': {
    folders: { Inbox: [8, 8, 0], 'Inbox/SubInbox': [0, 0, 0], 'Sent Items': [6, 6, 0], Calendar: [1, 0, 1], Contacts: [1, 0, 1], 'Deleted Items': [0, 0, 0] },
    transport: 8, mapi: 6, messageIds: 8, inReplyTo: 0,
  },
  // Deleted Items: 1 IPM.Note + 5 meeting requests are mail, 4 IPM.Appointment are not (readpst: 6 .eml + 4 .ics).
  'SampleOstFile.ost': {
    folders: { 'Deleted Items': [10, 6, 4], Inbox: [12, 12, 0], 'Inbox/sub1': [25, 25, 0], 'Inbox/sub2': [29, 29, 0], 'Sent Items': [6, 6, 0], Calendar: [1, 0, 1], 'Sync Issues': [9, 9, 0], Contacts: [0, 0, 0] },
    // Deleted Items: 6 transport headers (SOURCES.md), all on mail items; Sent Items and Sync Issues have none.
    transport: 6 + 12 + 25 + 29, mapi: 6 + 9, messageIds: 5 + 12 + 25 + 29 + 2, inReplyTo: 1,
  },
};

async function importOne(name: string): Promise<{ ws: Workspace; summary: ImportSummary; file: string }> {
  const file = path.join(dir as string, name);
  const ws = openWorkspace(path.join(tmp, `${name}.sqlite`));
  const summary = await importPaths(ws, [file], { mailbox: 'owner@example.com' });
  return { ws, summary, file };
}

/** readpst's .eml files per folder (relative to the store's top directory), run as SOURCES.md recommends (-j0). */
function readpstCounts(file: string): Map<string, number> {
  const out = fs.mkdtempSync(path.join(tmp, 'readpst-'));
  execFileSync('readpst', ['-o', out, '-D', '-e', '-j0', file], { stdio: 'ignore' });
  const counts = new Map<string, number>();
  const [store] = fs.readdirSync(out);
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), rel ? `${rel}/${e.name}` : e.name);
      else if (e.name.endsWith('.eml')) counts.set(rel, (counts.get(rel) ?? 0) + 1);
    }
  };
  if (store) walk(path.join(out, store), '');
  return counts;
}

describe.skipIf(!dir)('PST/OST import (shared corpus)', () => {
  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}: every folder's items are read, mail imported, the rest counted`, async () => {
      const { ws, summary, file } = await importOne(name);
      try {
        const byFolder = new Map((summary.pstFolders ?? []).map((f) => [f.folder, f]));
        for (const [folder, [contentCount, mail, skipped]] of Object.entries(exp.folders)) {
          const f = byFolder.get(folder);
          expect(f, `folder ${folder}`).toBeDefined();
          expect([f?.contentCount, f?.read, f?.imported, Object.values(f?.skipped ?? {}).reduce((a, b) => a + b, 0)], folder)
            .toEqual([contentCount, contentCount, mail, skipped]);
        }
        for (const f of summary.pstFolders ?? []) {
          expect(f.read, `${f.folder}: read = the PST's own count`).toBe(f.contentCount);
          expect(f.problems).toEqual([]);
        }
        expect(summary.counts.quarantined).toBe(0);
        const origins = ws.db.prepare('SELECT origin, COUNT(*) AS n FROM message_bytes GROUP BY origin').all() as Array<{ origin: string; n: number }>;
        const byOrigin = Object.fromEntries(origins.map((o) => [o.origin, o.n]));
        expect(byOrigin['pst-transport-headers'] ?? 0).toBe(exp.transport);
        expect(byOrigin['pst-mapi-properties'] ?? 0).toBe(exp.mapi);
        const facts = ws.db.prepare(`SELECT COUNT(message_id) AS ids, COUNT(in_reply_to) AS irt FROM messages WHERE parent_id IS NULL AND status = 'ok'`).get() as { ids: number; irt: number };
        expect(facts.ids).toBe(exp.messageIds);
        expect(facts.irt).toBe(exp.inReplyTo);

        if (readpstAvailable) {
          const rp = readpstCounts(file);
          const ours = new Map<string, number>();
          for (const f of summary.pstFolders ?? []) if (f.imported > 0) ours.set(f.folder, f.imported);
          // readpst puts IPM-root items in the store directory itself (""), where we use the root folder (Inbox).
          const theirs = new Map([...rp].map(([k, v]) => [k === '' ? 'Inbox' : k, v]));
          expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
        }

        // Idempotent: the same file again adds nothing.
        const again = await importPaths(ws, [file], { mailbox: 'owner@example.com' });
        expect(again.counts.imported).toBe(0);
        expect(again.counts.duplicate).toBe(summary.counts.imported + summary.counts.quarantined);
      } finally {
        ws.close();
      }
    });
  }

  it('keeps the facts correlation needs: a reply threads to its original, Thread-Index from PidTagConversationIndex', async () => {
    const { ws } = await importOne('testPST_variousBodyTypes.pst');
    try {
      const rows = ws.db.prepare(`SELECT id, subject, message_id, in_reply_to, thread_index FROM messages WHERE parent_id IS NULL ORDER BY import_order`).all() as
        Array<{ id: number; subject: string; message_id: string; in_reply_to: string | null; thread_index: string | null }>;
      const original = rows.find((r) => r.subject === 'original email');
      expect(original).toBeDefined();
      const forwards = rows.filter((r) => r.subject === 'FW: original email');
      expect(forwards).toHaveLength(3);
      for (const f of forwards) expect(f.in_reply_to).toBe(original?.message_id);
      for (const r of rows) expect(r.thread_index).toMatch(/^[A-Za-z0-9+/=]+$/);
      // The stored bytes are what the viewer reads back.
      const bytes = getMessageBytes(ws, original?.id as number).toString('utf8');
      expect(bytes).toMatch(/^Subject: original email\r?$/m);
      expect(bytes).toMatch(/^MIME-Version: 1\.0\r$/m);
    } finally {
      ws.close();
    }
  });

  it('maps MAPI properties when an item has no transport headers (FW: First email: PidTagInReplyToId kept)', async () => {
    const { ws } = await importOne('testPST.pst');
    try {
      const row = ws.db.prepare(`SELECT m.id, m.in_reply_to, b.origin FROM messages m JOIN message_bytes b ON b.message_id = m.id WHERE m.subject = 'FW: First email'`).get() as
        { id: number; in_reply_to: string | null; origin: string };
      expect(row.origin).toBe('pst-mapi-properties');
      // SOURCES.md: this item has PidTagInReplyToId although it has no transport headers (readpst drops it).
      expect(row.in_reply_to).toMatch(/^<.+@.+>$/);
      // It has an attached mail (attachMethod 5). pst-extractor 1.12 returns no embeddedPSTMessage for it, so it is
      // kept as an attachment part named as in the PST rather than linked as an inner message.
      expect(getMessageBytes(ws, row.id).toString('utf8')).toMatch(/^Content-Type: [^;]+; name="First email"\r$/m);
    } finally {
      ws.close();
    }
  });

  it('a corrupt or truncated PST is quarantined with a reason naming the file; the other files still import', async () => {
    const bad = path.join(tmp, 'broken.pst');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('!BDN'), Buffer.alloc(600, 0x41)]));
    const notPst = path.join(tmp, 'notes.pst');
    fs.writeFileSync(notPst, 'just some text\n');
    const ws = openWorkspace(path.join(tmp, 'mixed.sqlite'));
    try {
      const s = await importPaths(ws, [bad, notPst, path.join(dir as string, 'testPST_variousBodyTypes.pst')], { mailbox: 'owner@example.com' });
      expect(s.counts.imported).toBe(4);
      expect(s.counts.quarantined).toBe(2);
      expect(s.quarantined.map((q) => q.reason).join('\n')).toMatch(/broken\.pst: not a readable Outlook data file/);
      expect(s.quarantined.map((q) => q.reason).join('\n')).toMatch(/notes\.pst: not a readable Outlook data file/);
    } finally {
      ws.close();
    }
  });

  it('a corrupt item is quarantined with the reason, counted in its folder, and the other items import', async () => {
    // Overwrite the data block of one item ("original email") in a copy of the file; the block is located
    // with pst-extractor's own index (file offset and size of the item's node data).
    const src = path.join(dir as string, 'testPST_variousBodyTypes.pst');
    const pst = openPst(src);
    let block: { off: number; size: number } | null = null;
    for await (const e of walkPst(pst)) {
      if (e.type === 'item' && e.message.subject === 'original email') {
        const item = pst.getOffsetIndexNode(pst.getDescriptorIndexNode(e.message.descriptorNodeId).dataOffsetIndexIdentifier);
        block = { off: item.fileOffset.toNumber(), size: item.size };
      }
    }
    pst.close();
    expect(block).not.toBeNull();
    const bytes = fs.readFileSync(src);
    bytes.fill(0xff, block?.off, (block?.off ?? 0) + (block?.size ?? 0));
    const bad = path.join(tmp, 'one-bad-item.pst');
    fs.writeFileSync(bad, bytes);
    const ws = openWorkspace(path.join(tmp, 'bad-item.sqlite'));
    try {
      const s = await importPaths(ws, [bad], { mailbox: 'owner@example.com' });
      expect([s.counts.imported, s.counts.quarantined]).toEqual([3, 1]);
      expect(s.quarantined[0]?.reason).toMatch(/^item 1 of 4 could not be read: /);
      const tmpFolder = s.pstFolders?.find((f) => f.folder === 'Inbox/tmp');
      expect([tmpFolder?.contentCount, tmpFolder?.read, tmpFolder?.imported, tmpFolder?.quarantined]).toEqual([4, 4, 3, 1]);
      // Re-importing finds the same quarantined row rather than adding another.
      const again = await importPaths(ws, [bad], { mailbox: 'owner@example.com' });
      expect(again.counts.duplicate).toBe(4);
    } finally {
      ws.close();
    }
  });

  it('reads the file by offsets from a descriptor, not into memory', () => {
    const pst = openPst(path.join(dir as string, 'SampleOstFile.ost'));
    try {
      const internals = pst as unknown as { pstFD: number; pstBuffer: Buffer };
      expect(internals.pstFD).toBeGreaterThan(0);
      expect(internals.pstBuffer.length).toBe(0);
    } finally {
      pst.close();
    }
  });

  it('cancel stops between items and a re-run completes without duplicates', async () => {
    const file = path.resolve(dir as string, 'SampleOstFile.ost');
    const ws = openWorkspace(path.join(tmp, 'cancel.sqlite'));
    try {
      const ac = new AbortController();
      let seen = 0;
      const progress: number[] = [];
      const first = await importPaths(ws, [file], { mailbox: 'owner@example.com', signal: ac.signal, onMessage: () => { if (++seen === 20) ac.abort(); },
        onProgress: (p) => { if (p.currentFile === file) progress.push(p.bytes); } });
      expect(first.cancelled).toBe(true);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(first.total).toBeLessThan(87);
      const second = await importPaths(ws, [file], { mailbox: 'owner@example.com' });
      expect(second.counts.imported + second.counts.duplicate).toBe(87);
      expect(ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NULL').pluck().get()).toBe(87);
    } finally {
      ws.close();
    }
  });
});

describe.skipIf(!dir)('import command with a PST', () => {
  it('`import FILE.pst --workspace … --mailbox …` imports and prints each folder against the PST\'s own count', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await runImport([path.join(dir as string, 'Outlook_1.pst'), '--workspace', path.join(tmp, 'cli.sqlite'), '--mailbox', 'saqib@xp.local']);
      expect(code).toBe(0);
      expect(out).toMatch(/imported\s+14/);
      expect(out).toMatch(/Inbox: 8 item\(s\) in the PST, 8 read, 8 imported/);
      expect(out).toMatch(/Calendar: 1 item\(s\) in the PST, 1 read, 0 imported, skipped \(not mail\): 1 IPM\.Appointment/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('migration 5', () => {
  it('rebuilds sources with the new kinds and keeps every message pointing at its source', async () => {
    const { MIGRATIONS } = await import('../../../core/node/workspace/migrations.js');
    const file = path.join(tmp, 'upgrade.sqlite');
    const early = openWorkspace(file, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    early.db.prepare(`INSERT INTO mailboxes (id, address, owner, filter, position) VALUES (1, 'a@example.com', 'user:1', 1, 0)`).run();
    early.db.prepare(`INSERT INTO folders (id, mailbox_id, path) VALUES (1, 1, 'Inbox')`).run();
    early.db.prepare(`INSERT INTO sources (id, path, kind, size, mtime_ms, first_imported_at) VALUES (7, '/x.mbox', 'mbox', 10, 0, 'now')`).run();
    early.db.prepare(`INSERT INTO messages (mailbox_id, folder_id, source_id, source_offset, source_length, sha256, status, import_order) VALUES (1, 1, 7, 0, 10, 'h', 'ok', 0)`).run();
    expect(() => early.db.prepare(`INSERT INTO sources (path, kind, size, mtime_ms, first_imported_at) VALUES ('/y.pst', 'pst', 1, 0, 'now')`).run()).toThrow(/CHECK/);
    early.close();
    const ws = openWorkspace(file);
    try {
      ws.db.prepare(`INSERT INTO sources (path, kind, size, mtime_ms, first_imported_at) VALUES ('/y.pst', 'pst', 1, 0, 'now')`).run();
      expect(ws.db.prepare('SELECT s.path FROM messages m JOIN sources s ON s.id = m.source_id').pluck().get()).toBe('/x.mbox');
      expect(ws.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      ws.close();
    }
  });
});

describe('PST reader and descriptors', () => {
  it('a file that is not a PST leaves no descriptor open', () => {
    const bad = path.join(tmp, 'leak-check.pst');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('!BDN'), Buffer.alloc(600, 0x41)]));
    const fds = (): number => fs.readdirSync('/proc/self/fd').length;
    if (!fs.existsSync('/proc/self/fd')) return void console.warn('SKIPPED descriptor count: /proc/self/fd is absent on this system');
    const before = fds();
    for (let i = 0; i < 5; i++) expect(() => openPst(bad)).toThrow(/leak-check\.pst: not a readable Outlook data file/);
    expect(fds()).toBe(before);
  });
});
