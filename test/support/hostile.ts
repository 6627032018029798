// Deterministic generator of hostile and broken mail (issue 6). Every case is built from a seeded PRNG so a
// failure reproduces byte for byte. Small cases are returned as bytes; the big ones (a directory of tiny
// files, a multi-gigabyte mbox, a huge attachment) are written by streaming so the generator itself stays
// small in memory. Each case says what a correct import must report about it (`expect`), so the test can
// check that the message names the file and the problem, not just that nothing crashed.

import fs from 'node:fs';
import path from 'node:path';

export type HostileMode = 'fast' | 'long';

export interface HostileExpectation {
  /** Top-level messages the import must count for this case (imported + duplicate + quarantined). */
  messages: number;
  /** How many of them must be quarantined (exact), or 'some' (≥ 1). */
  quarantined: number | 'some';
  /** What the quarantine reason or a defect of an imported message from this file must say. */
  problem: RegExp | null;
}

export interface HostileCase {
  name: string;
  /** What is hostile about it, for reports. */
  description: string;
  /** Writes the case under `dir`; returns the path to import (a file or a folder). */
  write(dir: string): Promise<string>;
  expect: HostileExpectation;
}

/** mulberry32: a tiny seeded PRNG, so generated cases are identical on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRLF = '\r\n';

/** A well-formed message to hang hostile parts on. */
export function baseHeaders(n: number, extra: string[] = []): string {
  // A field given in `extra` replaces the base one of the same name (a second Subject would be ignored).
  const overridden = new Set(extra.map((l) => l.slice(0, l.indexOf(':')).toLowerCase()));
  return [
    `From: Sender ${n} <sender${n}@example.com>`,
    'To: Alice <alice@contoso.com>',
    `Subject: hostile case ${n}`,
    `Date: Mon, 2 Mar 2026 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
    `Message-ID: <hostile-${n}@example.com>`,
  ].filter((l) => !overridden.has(l.slice(0, l.indexOf(':')).toLowerCase())).concat(extra).join(CRLF);
}

function message(n: number, extraHeaders: string[], body: string): Buffer {
  return Buffer.from(`${baseHeaders(n, extraHeaders)}${CRLF}${CRLF}${body}`, 'latin1');
}

function writeFile(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return Promise.resolve(p);
}

function randomBase64(rand: () => number, bytes: number): string {
  const buf = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4) buf.writeUInt32LE(Math.floor(rand() * 0xffffffff), Math.min(i, bytes - 4));
  return buf.toString('base64').replace(/.{76}/g, `$&${CRLF}`);
}

/** Streams a file of about `targetBytes` made of repeated chunks from `next` (called until the size is reached). */
export async function streamFile(file: string, targetBytes: number, next: (i: number) => string | Buffer): Promise<{ bytes: number; chunks: number }> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let i = 0;
  while (bytes < targetBytes) {
    const chunk = next(i++);
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'latin1') : chunk.length;
    if (!out.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  return { bytes, chunks: i };
}

/** The mbox "From " line and one small message, as mbox writers put them (body "From " lines quoted). */
export function mboxEntry(n: number, body = `Body of message ${n}.\r\n>From the quoted line.\r\n`): string {
  return `From sender${n}@example.com Mon Mar  2 10:00:00 2026\n${baseHeaders(n)}${CRLF}${CRLF}${body}\n`;
}

/** Sizes that differ between the fast suite and `npm run test:long`. */
export function hostileSizes(mode: HostileMode): { tinyFiles: number; bigMboxBytes: number; attachmentBytes: number } {
  return mode === 'long'
    ? { tinyFiles: 100_000, bigMboxBytes: 2 * 1024 ** 3, attachmentBytes: 140 * 1024 ** 2 }
    : { tinyFiles: 5_000, bigMboxBytes: 50 * 1024 ** 2, attachmentBytes: 20 * 1024 ** 2 };
}

/** Every Thread-Index byte length from 0 to 64 that is not 22 + 5k (the only valid lengths). */
export function wrongThreadIndexLengths(): number[] {
  const out: number[] = [];
  for (let n = 0; n <= 64; n++) if (n < 22 || (n - 22) % 5 !== 0) out.push(n);
  return out;
}

export function hostileCases(mode: HostileMode, seed = 6): HostileCase[] {
  const rand = prng(seed);
  const sizes = hostileSizes(mode);
  const cases: HostileCase[] = [];
  const add = (c: HostileCase): void => {
    cases.push(c);
  };
  const one = (name: string, description: string, bytes: () => Buffer, expect: HostileExpectation, ext = 'eml'): void =>
    add({ name, description, write: (dir) => writeFile(dir, `${name}.${ext}`, bytes()), expect });

  one('zero-bytes', 'a 0-byte file', () => Buffer.alloc(0), { messages: 1, quarantined: 1, problem: /empty message \(0 bytes\)/ });

  one('truncated-headers', 'a file cut in the middle of its header block', () =>
    Buffer.from(`${baseHeaders(1)}${CRLF}Subject: cut he`, 'latin1'), { messages: 1, quarantined: 0, problem: /no body|truncated/i });

  one('truncated-multipart', 'a multipart message cut inside a part (no closing boundary)', () =>
    message(2, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'],
      `--b1${CRLF}Content-Type: text/plain${CRLF}${CRLF}hello${CRLF}--b1${CRLF}Content-Type: application/pdf${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}JVBERi0xLjQK`),
  { messages: 1, quarantined: 0, problem: /no closing boundary/ });

  one('nul-bytes', 'NUL bytes in header values and the body', () =>
    Buffer.concat([message(3, ['X-Nul: a\0b\0c'], 'body\0with\0nuls\r\n')]), { messages: 1, quarantined: 0, problem: /NUL/ });

  one('nul-only', '64 KB of NUL bytes and nothing else', () => Buffer.alloc(65536), { messages: 1, quarantined: 1, problem: /not an email message/ });

  one('header-line-1mb', 'a Subject line of 1 MB', () => message(4, [`X-Long: ${'x'.repeat(1024 * 1024)}`, `Thread-Topic: ${'t'.repeat(1024 * 1024)}`], 'body'),
    { messages: 1, quarantined: 0, problem: /X-Long is \d+ characters long; only its first/ });

  one('headers-10000', '10,000 header fields', () => {
    const extra: string[] = [];
    for (let i = 0; i < 10_000; i++) extra.push(`X-Hdr-${i}: value ${i}`);
    return message(5, extra, 'body');
  }, { messages: 1, quarantined: 0, problem: /header fields/ });

  one('multipart-depth-500', 'multipart nested 500 deep', () => {
    let body = `text${CRLF}`;
    // Boundaries "b<d>z" so that no boundary is a prefix of another (that would be a different case).
    for (let d = 499; d >= 0; d--) {
      body = `--b${d}z${CRLF}Content-Type: multipart/mixed; boundary="b${d + 1}z"${CRLF}${CRLF}${body}${CRLF}--b${d}z--${CRLF}`;
    }
    return message(6, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b0z"'], body);
  }, { messages: 1, quarantined: 0, problem: /nesting deeper than/ });

  one('boundary-wrong', 'a multipart whose declared boundary never occurs', () =>
    message(7, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="declared"'], `--other${CRLF}${CRLF}text${CRLF}--other--${CRLF}`),
  { messages: 1, quarantined: 0, problem: /boundary "declared" never occurs/ });

  one('boundary-missing', 'a multipart without a boundary parameter', () =>
    message(8, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed'], `--x${CRLF}${CRLF}text${CRLF}--x--${CRLF}`),
  { messages: 1, quarantined: 0, problem: /multipart without boundary/ });

  one('charset-unknown', 'unknown charsets in an encoded word and in the body', () =>
    message(9, ['Subject: =?x-klingon-42?B?SGVsbG8=?=', 'Content-Type: text/plain; charset="x-unheard-of"'], 'body'),
  { messages: 1, quarantined: 0, problem: /unknown charset "x-klingon-42"/ });

  one('base64-invalid', 'invalid base64 in an encoded word and in the body', () =>
    message(10, ['Subject: =?utf-8?B?!!!not*base64###?=', 'Content-Transfer-Encoding: base64'], `%%%% this is not base64 %%%%${CRLF}`),
  { messages: 1, quarantined: 0, problem: /invalid base64/ });

  one('qp-invalid', 'invalid quoted-printable escapes', () =>
    message(11, ['Subject: =?utf-8?Q?bad=ZZescape=?=', 'Content-Transfer-Encoding: quoted-printable'], `line with =G1 and =\u00ff bad escapes${CRLF}`),
  { messages: 1, quarantined: 0, problem: /invalid quoted-printable/ });

  one('length-lies', 'a Content-Length that lies (says 10 MB, body is tiny)', () =>
    message(12, ['Content-Length: 10485760'], 'short body'), { messages: 1, quarantined: 0, problem: /Content-Length says 10485760/ });

  add({
    name: 'length-lies-mbox',
    description: 'an mbox whose first message declares a Content-Length that would swallow the next two',
    write: (dir) => writeFile(dir, 'length-lies.mbox',
      `From a@example.com Mon Mar  2 10:00:00 2026\n${baseHeaders(13, ['Content-Length: 99999'])}\r\n\r\nfirst\n\n${mboxEntry(14)}\n${mboxEntry(15)}`),
    expect: { messages: 3, quarantined: 0, problem: /Content-Length says 99999/ },
  });

  one('encoded-word-bomb', '200,000 encoded words in one Subject', () =>
    message(16, [`Subject: ${'=?utf-8?B?QQ==?= '.repeat(200_000)}`], 'body'), { messages: 1, quarantined: 0, problem: /encoded words/ });

  one('encoded-word-bomb-addresses', '50,000 encoded display names in To', () =>
    message(17, [`Cc: ${Array.from({ length: 50_000 }, (_, i) => `=?utf-8?Q?n${i}?= <u${i}@x.example>`).join(', ')}`], 'body'),
  { messages: 1, quarantined: 0, problem: /addresses/ });

  add({
    name: 'huge-base64-attachment',
    description: `a ${Math.round(sizes.attachmentBytes / 1048576)} MB base64 attachment`,
    write: async (dir) => {
      const file = path.join(dir, 'huge-attachment.eml');
      const head = `${baseHeaders(18, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="att"'])}${CRLF}${CRLF}` +
        `--att${CRLF}Content-Type: text/plain${CRLF}${CRLF}see attached${CRLF}--att${CRLF}Content-Type: application/octet-stream; name="big.bin"${CRLF}` +
        `Content-Transfer-Encoding: base64${CRLF}${CRLF}`;
      const line = randomBase64(rand, 57 * 1000); // 1000 lines of 76 chars
      const lines = Math.ceil((sizes.attachmentBytes * 0.75) / (57 * 1000));
      await streamFile(file, 1, () => head);
      const out = fs.openSync(file, 'a');
      try {
        for (let i = 0; i < lines; i++) fs.writeSync(out, line + CRLF);
        fs.writeSync(out, `--att--${CRLF}`);
      } finally {
        fs.closeSync(out);
      }
      return file;
    },
    expect: { messages: 1, quarantined: 0, problem: null },
  });

  one('rfc822-loop', 'message/rfc822 nested 1,000 deep (a forward of a forward of …)', () => {
    let inner = `${baseHeaders(1000)}${CRLF}${CRLF}innermost${CRLF}`;
    for (let d = 999; d >= 0; d--) {
      inner = `${baseHeaders(d, ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="f${d}z"`])}${CRLF}${CRLF}` +
        `--f${d}z${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}${inner}${CRLF}--f${d}z--${CRLF}`;
    }
    return Buffer.from(inner, 'latin1');
  }, { messages: 1, quarantined: 0, problem: /forwarded messages nested deeper than \d+ levels/ });

  one('rfc822-self-digest', 'a multipart/digest of 5,000 copies of one message (default type message/rfc822)', () => {
    const part = `${CRLF}${baseHeaders(19)}${CRLF}${CRLF}digest part${CRLF}`;
    return message(19, ['MIME-Version: 1.0', 'Content-Type: multipart/digest; boundary="dg"'],
      `${Array.from({ length: 5000 }, () => `--dg${CRLF}${part}`).join('')}--dg--${CRLF}`);
  }, { messages: 1, quarantined: 0, problem: /more than \d+ parts/ });

  for (const len of wrongThreadIndexLengths()) {
    one(`thread-index-${len}`, `a Thread-Index of ${len} bytes`, () => {
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rand() * 256);
      return message(100 + len, [`Thread-Index: ${bytes.toString('base64')}`], 'body');
    }, { messages: 1, quarantined: 0, problem: len === 0 ? null : /Thread-Index: .*(bytes|22 \+ 5k)/ });
  }
  one('thread-index-not-base64', 'a Thread-Index that is not base64', () => message(99, ['Thread-Index: ***%%%!!!'], 'body'),
    { messages: 1, quarantined: 0, problem: /Thread-Index: not strict base64/ });

  one('token-non-numeric', 'tracking tokens with letters, signs and overflowing digit runs', () =>
    message(20, ['Subject: RE: CRM:00A1B2 CRM:-0001 CRM:0x1F CRM:99999999999999999999999999 CRM:'], 'body'),
  { messages: 1, quarantined: 0, problem: null });

  for (const [i, date] of [
    'Mon, 2 Mar 99999 10:00:00 +0000', 'Tue, 31 Feb 2026 25:61:61 +9999', 'Thu, 1 Jan 0001 00:00:00 +0000',
    '275760-09-13T00:00:00.001Z', '-000001-01-01T00:00:00Z', '1e308', 'NaN',
  ].entries()) {
    one(`date-out-of-range-${i}`, `Date: ${date}`, () =>
      Buffer.from(baseHeaders(30 + i).replace(/^Date: .*$/m, `Date: ${date}`) + `${CRLF}${CRLF}body`, 'latin1'),
    { messages: 1, quarantined: 0, problem: /unreadable Date/ });
  }

  add({
    name: 'mbox-no-from-line',
    description: 'an .mbox file that does not start with a "From " line',
    write: (dir) => writeFile(dir, 'no-from-line.mbox', `${baseHeaders(40)}\n\nbody\n\n${baseHeaders(41)}\n\nbody\n`),
    expect: { messages: 1, quarantined: 1, problem: /does not start with a "From " line/ },
  });

  add({
    name: 'mbox-truncated',
    description: 'an mbox cut in the middle of its last message',
    write: (dir) => writeFile(dir, 'truncated.mbox', `${mboxEntry(42)}\n${mboxEntry(43)}\n${mboxEntry(44).slice(0, 60)}`),
    expect: { messages: 3, quarantined: 0, problem: /no body|truncated/i },
  });

  one('msg-corrupt', 'an Outlook .msg with a valid signature and garbage after it', () => {
    const b = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b);
    for (let i = 8; i < b.length; i++) b[i] = Math.floor(rand() * 256);
    return b;
  }, { messages: 1, quarantined: 1, problem: /Outlook \.msg could not be read/ }, 'msg');

  one('msg-truncated', 'an Outlook .msg of only its 8-byte signature', () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    { messages: 1, quarantined: 1, problem: /Outlook \.msg could not be read/ }, 'msg');

  // Crafted compound files (issue 12 item 1): each one is quarantined with the structural problem named; the
  // well-formed one among them is imported.
  for (const m of hostileMsgFiles()) {
    one(m.name, m.description, () => m.bytes, m.problem
      ? { messages: 1, quarantined: 1, problem: new RegExp(`Outlook \\.msg could not be read: .*${m.problem.source}`) }
      : { messages: 1, quarantined: 0, problem: null }, 'msg');
  }

  // A header block that hits the field limit before its Message-ID (issue 12 item 12): the reason is the
  // limit, and the row keeps the parser's defects.
  one('headers-20005-then-ids', '20,005 X- header fields, then From, Subject, Date and Message-ID', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_005; i++) lines.push(`X-Filler-${i}: ${i}`);
    lines.push(baseHeaders(21));
    return Buffer.from(`${lines.join(CRLF)}${CRLF}${CRLF}body${CRLF}`, 'latin1');
  }, { messages: 1, quarantined: 1, problem: /header limit reached: 20010 header fields, only the first 20000 were read/ });

  one('binary-garbage', '256 KB of random bytes', () => {
    const b = Buffer.alloc(256 * 1024);
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
    return b;
  }, { messages: 1, quarantined: 1, problem: /not an email message/ });

  add({
    name: 'tiny-files',
    description: `a directory of ${sizes.tinyFiles.toLocaleString('en')} tiny files`,
    write: (dir) => {
      const root = path.join(dir, 'tiny-files');
      for (let i = 0; i < sizes.tinyFiles; i++) {
        const sub = path.join(root, `d${Math.floor(i / 1000)}`);
        if (i % 1000 === 0) fs.mkdirSync(sub, { recursive: true });
        fs.writeFileSync(path.join(sub, `${i}.eml`), `From: t${i}@example.com\nMessage-ID: <t${i}@x>\n\n${i}\n`);
      }
      return Promise.resolve(root);
    },
    expect: { messages: sizes.tinyFiles, quarantined: 0, problem: null },
  });

  const bigMbox: HostileCase = {
    name: 'big-mbox',
    description: `a ${Math.round(sizes.bigMboxBytes / 1048576)} MB mbox`,
    write: async (dir) => {
      const file = path.join(dir, 'big.mbox');
      const { chunks } = await streamFile(file, sizes.bigMboxBytes, (i) => {
        // ~64 KB chunks of 16 small messages; every message is different so none is a duplicate.
        let s = '';
        for (let k = 0; k < 16; k++) {
          const n = i * 16 + k;
          s += `From big${n}@example.com Mon Mar  2 10:00:00 2026\nFrom: big${n}@example.com\nTo: alice@contoso.com\nSubject: big ${n}\n` +
            `Message-ID: <big-${n}@example.com>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\n${'lorem ipsum dolor sit amet '.repeat(150)}\n>From quoted\n\n`;
        }
        return s;
      });
      bigMbox.expect.messages = chunks * 16;
      return file;
    },
    // Set when the file is written (the size is approximate, the count exact).
    expect: { messages: -1, quarantined: 0, problem: null },
  };
  add(bigMbox);

  return cases;
}

// ---------------------------------------------------------------- crafted Outlook .msg (issue 12 item 1)

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

/** Where the parts of a file made by buildCfb are, for the mutations that break them. */
export interface CfbLayout {
  /** Byte offset of sector n. */
  sector(n: number): number;
  /** Byte offset of FAT entry n (sector 0 is the only FAT sector). */
  fat(n: number): number;
  /** Byte offset of mini FAT entry n (sector 2). */
  miniFat(n: number): number;
  /** Byte offset of directory entry n (sector 1; 0 is the root). */
  dir(n: number): number;
  /** Index of the first free sector after the structures (for mutations that add a sector). */
  freeSector: number;
}

/**
 * A minimal, valid Outlook .msg (Compound File Binary version 3, MS-CFB; property streams named as MS-OXMSG
 * 2.1.3 says, PT_UNICODE): header, one FAT sector, one directory sector, one mini FAT sector and the mini
 * stream holding the property streams, plus `extraSectors` free sectors. About 2.5 KB. `mutate` may break
 * it before it is returned.
 */
export function buildCfb(props: Record<string, string>, mutate?: (b: Buffer, l: CfbLayout) => void, extraSectors = 0): Buffer {
  const streams = Object.entries(props).map(([tag, value]) => ({ name: `__substg1.0_${tag}001F`, data: Buffer.from(value, 'utf16le') }));
  if (streams.length > 3) throw new Error('buildCfb: at most 3 streams (one directory sector)');
  const miniSectorsOf = streams.map((s) => Math.ceil(s.data.length / 64));
  const miniTotal = miniSectorsOf.reduce((a, b) => a + b, 0);
  const miniStreamSectors = Math.max(1, Math.ceil((miniTotal * 64) / 512));
  const sectors = 3 + miniStreamSectors + extraSectors;
  const b = Buffer.alloc(512 * (sectors + 1));
  const layout: CfbLayout = {
    sector: (n) => 512 * (n + 1),
    fat: (n) => 512 + 4 * n,
    miniFat: (n) => 512 * 3 + 4 * n,
    dir: (n) => 512 * 2 + 128 * n,
    freeSector: 3 + miniStreamSectors,
  };
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  b.writeUInt16LE(0x3e, 0x18);
  b.writeUInt16LE(3, 0x1a);
  b.writeUInt16LE(0xfffe, 0x1c);
  b.writeUInt16LE(9, 0x1e);
  b.writeUInt16LE(6, 0x20);
  b.writeUInt32LE(1, 0x2c); // FAT sectors
  b.writeUInt32LE(1, 0x30); // first directory sector
  b.writeUInt32LE(4096, 0x38);
  b.writeUInt32LE(2, 0x3c); // first mini FAT sector
  b.writeUInt32LE(1, 0x40);
  b.writeUInt32LE(ENDOFCHAIN, 0x44);
  b.writeUInt32LE(0, 0x48);
  for (let i = 0; i < 109; i++) b.writeUInt32LE(i === 0 ? 0 : FREESECT, 0x4c + 4 * i);
  // FAT: 0 = the FAT itself, 1 = directory, 2 = mini FAT, 3… = the mini stream's chain.
  for (let i = 0; i < 128; i++) b.writeUInt32LE(FREESECT, layout.fat(i));
  b.writeUInt32LE(FATSECT, layout.fat(0));
  b.writeUInt32LE(ENDOFCHAIN, layout.fat(1));
  b.writeUInt32LE(ENDOFCHAIN, layout.fat(2));
  for (let k = 0; k < miniStreamSectors; k++) b.writeUInt32LE(k === miniStreamSectors - 1 ? ENDOFCHAIN : 4 + k, layout.fat(3 + k));
  // Mini FAT and mini stream.
  for (let i = 0; i < 128; i++) b.writeUInt32LE(FREESECT, layout.miniFat(i));
  let mini = 0;
  const starts: number[] = [];
  streams.forEach((s, i) => {
    starts.push(mini);
    const n = miniSectorsOf[i] as number;
    for (let k = 0; k < n; k++) b.writeUInt32LE(k === n - 1 ? ENDOFCHAIN : mini + k + 1, layout.miniFat(mini + k));
    s.data.copy(b, layout.sector(3) + mini * 64);
    mini += n;
  });
  const entry = (n: number, name: string, type: number, child: number, right: number, start: number, size: number): void => {
    const o = layout.dir(n);
    Buffer.from(`${name}\0`, 'utf16le').copy(b, o);
    b.writeUInt16LE((name.length + 1) * 2, o + 0x40);
    b[o + 0x42] = type;
    b[o + 0x43] = 1;
    b.writeUInt32LE(NOSTREAM, o + 0x44);
    b.writeUInt32LE(right, o + 0x48);
    b.writeUInt32LE(child, o + 0x4c);
    b.writeUInt32LE(start, o + 0x74);
    b.writeUInt32LE(size, o + 0x78);
  };
  entry(0, 'Root Entry', 5, streams.length > 0 ? 1 : NOSTREAM, NOSTREAM, 3, miniTotal * 64);
  streams.forEach((s, i) => entry(i + 1, s.name, 2, NOSTREAM, i + 1 < streams.length ? i + 2 : NOSTREAM, starts[i] as number, s.data.length));
  mutate?.(b, layout);
  return b;
}

/** The properties of the well-formed .msg the crafted ones are made from (subject, Message-ID, transport headers). */
export function msgProps(n: number): Record<string, string> {
  return {
    '0037': `crafted msg ${n}`,
    '1035': `<crafted-msg-${n}@example.com>`,
    '007D': `From: Sender ${n} <sender${n}@example.com>\r\nTo: alice@contoso.com\r\nSubject: crafted msg ${n}\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <crafted-msg-${n}@example.com>\r\n`,
  };
}

export interface HostileMsg {
  name: string;
  description: string;
  bytes: Buffer;
  /** What the quarantine reason must say (null: a good file, imported). */
  problem: RegExp | null;
}

/**
 * Outlook .msg files whose compound-file structure lies (the attack round's 2.5 KB files): chains that loop,
 * a tree that loops, streams that claim 2 GB, sector numbers past the end of the file. Unchecked, each makes
 * msgreader loop forever or allocate gigabytes. The last one is well-formed: it must still be imported.
 */
export function hostileMsgFiles(): HostileMsg[] {
  const bad = (name: string, description: string, problem: RegExp, mutate: (b: Buffer, l: CfbLayout) => void, extra = 0): HostileMsg =>
    ({ name, description, bytes: buildCfb(msgProps(900), mutate, extra), problem });
  return [
    bad('msg-directory-chain-loop', 'the directory sector chain points back to itself', /directory chain uses sector 1 .*already uses/,
      (b, l) => b.writeUInt32LE(1, l.fat(1))),
    bad('msg-mini-stream-chain-loop', "the root's mini stream chain loops", /mini stream uses sector \d+ .*already uses/,
      (b, l) => b.writeUInt32LE(3, l.fat(3))),
    bad('msg-mini-fat-chain-loop', 'the mini FAT chain loops and claims 2 billion sectors', /mini FAT uses sector 2 .*already uses/,
      (b, l) => {
        b.writeUInt32LE(2, l.fat(2));
        b.writeUInt32LE(0x7fffffff, 0x40);
      }),
    bad('msg-mini-chain-loop', "a property stream's mini chain points back to itself", /mini chain uses mini sector 0 .*already uses/,
      (b, l) => b.writeUInt32LE(0, l.miniFat(0))),
    bad('msg-sibling-loop', 'a directory entry is its own sibling (the tree loops)', /directory tree reaches entry 1 twice/,
      (b, l) => b.writeUInt32LE(1, l.dir(1) + 0x48)),
    bad('msg-storage-self-child', 'a storage entry is its own child', /directory tree reaches entry 1 twice/,
      (b, l) => {
        b[l.dir(1) + 0x42] = 1;
        b.writeUInt32LE(1, l.dir(1) + 0x4c);
      }),
    bad('msg-stream-2gb-loop', 'a stream that says it is 2 GB long, its chain one sector looping on itself', /says it is 2147483632 bytes long, longer than the file/,
      (b, l) => {
        b.writeUInt32LE(0x7ffffff0, l.dir(1) + 0x78);
        b.writeUInt32LE(l.freeSector, l.dir(1) + 0x74);
        b.writeUInt32LE(l.freeSector, l.fat(l.freeSector));
      }, 1),
    bad('msg-root-2gb', 'the root entry says its mini stream is 2 GB long', /mini stream says it is \d+ bytes long, longer than the file/,
      (b, l) => b.writeUInt32LE(0x7ffffff0, l.dir(0) + 0x78)),
    bad('msg-sector-past-end', 'a chain points to a sector far past the end of the file', /points to sector 1000000, past the end of the file/,
      (b, l) => b.writeUInt32LE(1_000_000, l.fat(1))),
    bad('msg-fat-count-lies', 'the header claims 100,000 FAT sectors in a 2.5 KB file', /100000 FAT sectors, more than the \d+ sectors in the file/,
      (b) => b.writeUInt32LE(100_000, 0x2c)),
    { name: 'msg-good-after', description: 'a well-formed .msg after the crafted ones', bytes: buildCfb(msgProps(901)), problem: null },
  ];
}
