// Sources are only ever read (issue 6): importing an .eml folder, an mbox, a Maildir++ tree and Outlook .msg
// files leaves every file and folder byte-identical with the same mtime, size and mode, adds or removes no
// entry, keeps no file open afterwards, and works while every source is read-only (as the OS user allows).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEmlTree, writeMaildir, writeMbox } from '../support/generateMailbox.js';
import { buildMsg } from '../integration/import/msgFixture.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { importPaths } from '../../core/node/import/importer.js';
import { getMessageContent } from '../../core/node/mailparse.js';
import { removeDir, runCliRestricted, tempDir } from './support/env.js';

interface Snapshot {
  [rel: string]: { kind: 'file' | 'dir'; sha256: string; size: number; mtimeMs: number; mode: number; entries?: string[] };
}

function snapshot(root: string): Snapshot {
  const out: Snapshot = {};
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    const rel = path.relative(root, p) || '.';
    if (st.isDirectory()) {
      const entries = fs.readdirSync(p).sort();
      out[rel] = { kind: 'dir', sha256: '', size: 0, mtimeMs: st.mtimeMs, mode: st.mode, entries };
      for (const e of entries) walk(path.join(p, e));
    } else {
      out[rel] = { kind: 'file', sha256: crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'), size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
    }
  };
  walk(root);
  return out;
}

function setMode(root: string, file: number, dir: number): void {
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      fs.chmodSync(p, dir);
    } else fs.chmodSync(p, file);
  };
  walk(root);
}

/** Paths this process has open (Linux /proc; empty elsewhere). */
function openFiles(): string[] {
  try {
    return fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return [];
  }
}

let dir: string;
let src: string;
const kinds: Record<string, string> = {};

beforeAll(async () => {
  dir = tempDir('sources');
  fs.chmodSync(dir, 0o755);
  src = path.join(dir, 'src');
  kinds.eml = path.join(src, 'eml');
  kinds.mbox = path.join(src, 'mbox', 'archive.mbox');
  kinds.maildir = path.join(src, 'maildir');
  kinds.msg = path.join(src, 'msg');
  writeEmlTree(kinds.eml, { seed: 11, messages: 60 });
  fs.mkdirSync(path.dirname(kinds.mbox), { recursive: true });
  await writeMbox(kinds.mbox, { seed: 12, messages: 200 });
  writeMaildir(kinds.maildir, { seed: 13, messages: 60 });
  fs.mkdirSync(kinds.msg, { recursive: true });
  for (let i = 0; i < 5; i++) {
    fs.writeFileSync(path.join(kinds.msg, `m${i}.msg`), buildMsg({
      strings: {
        '007D': `From: s${i}@example.com\r\nTo: alice@contoso.com\r\nSubject: msg ${i}\r\nMessage-ID: <msg-${i}@example.com>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n`,
        '0037': `msg ${i}`, '1000': `body ${i}`,
      },
    }));
  }
  // Sources read-only during the import: the importer must never need to write them.
  setMode(src, 0o444, 0o555);
}, 120_000);

afterAll(() => {
  if (src) setMode(src, 0o644, 0o755);
  if (dir) removeDir(dir);
});

describe('sources are never written, moved or locked', () => {
  it.each(['eml', 'mbox', 'maildir', 'msg'])('%s: in-process import and message view leave every byte, mtime and entry as they were', async (kind) => {
    const root = kinds[kind] as string;
    const snapRoot = fs.statSync(root).isDirectory() ? root : path.dirname(root);
    const before = snapshot(snapRoot);
    const ws = openWorkspace(path.join(dir, `${kind}.synclens`));
    try {
      const summary = await importPaths(ws, [root], { mailbox: 'alice@contoso.com' });
      expect(summary.counts.imported).toBeGreaterThan(0);
      expect(summary.counts.quarantined).toBe(0);
      // Viewing bodies reads the sources again (on demand).
      const ids = ws.db.prepare('SELECT id FROM messages WHERE parent_id IS NULL LIMIT 20').pluck().all() as number[];
      for (const id of ids) await getMessageContent(ws, id);
      // Nothing under the source is still open (no handle that would lock it on Windows).
      expect(openFiles().filter((f) => f.startsWith(snapRoot))).toEqual([]);
    } finally {
      ws.close();
    }
    expect(snapshot(snapRoot)).toEqual(before);
  });

  it('the CLI import of all four kinds at once, run as a user the read-only modes apply to, changes nothing', () => {
    const before = snapshot(src);
    const ws = path.join(dir, 'cli-ws', 'all.synclens');
    fs.mkdirSync(path.dirname(ws), { recursive: true });
    fs.chmodSync(path.dirname(ws), 0o777);
    const r = runCliRestricted(['import', ...Object.values(kinds), '--workspace', ws, '--mailbox', 'alice@contoso.com', '--json'], { unprivileged: true });
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: { imported: number; quarantined: number } };
    expect(summary.counts.quarantined).toBe(0);
    expect(summary.counts.imported).toBeGreaterThan(300);
    // As root the child ran as nobody (root ignores file modes); either way it had no write permission.
    expect(snapshot(src)).toEqual(before);
  });
});
