// Streaming mbox splitter. Reads the file with a read stream (never whole), splits on every line that starts
// with "From " (the mbox definition: writers quote such body lines as ">From "), handles LF and CRLF,
// and reports each message's exact byte range in the file. ">From " unquoting (mboxrd: one ">" removed from /^>+From /, which also undoes mboxo's quoting) is done by `unquoteMbox`.
//
// Memory: only the unscanned tail of the data is searched (a small window); the bytes of the message being
// read are kept as the list of chunks they came in and joined once, when the message ends. A message that
// grows past `maxMessageBytes` stops being kept at once (its chunks are dropped, its length still counted)
// and is reported with `tooBig`, so one 400 MB message costs neither 400 MB nor a copy per chunk
// (issue 12 item 10: joining the whole buffer on every chunk took 55 s and 1.34 GB).

import fs from 'node:fs';
import { openRegular } from './regularFile.js';

export interface MboxMessage {
  /** Byte offset of the message (after its "From " line) in the file. */
  offset: number;
  length: number;
  /** The message bytes as stored in the file (still quoted). Valid only until the next iteration. Empty when tooBig. */
  bytes: Buffer;
  /** The "From " separator line, without line end. */
  separator: string;
  /** The message is longer than the limit given to readMbox; its bytes were not kept. */
  tooBig?: boolean;
}

const FROM_LF = Buffer.from('\nFrom ');

/** Bytes kept in the window before the scan point: the line end before "\nFrom " (up to "\r\n") is looked at. */
const KEEP_BEFORE = 2;

/** A "From " separator line longer than this is not waited for: the file is not an mbox past this point. */
const MAX_SEPARATOR_LINE = 64 * 1024;

export async function* readMbox(path: string, signal?: AbortSignal, chunkSize = 1 << 20, maxMessageBytes = Number.POSITIVE_INFINITY): AsyncGenerator<MboxMessage> {
  // Only a regular file is streamed: a FIFO or /dev/zero would never end.
  const { fd } = openRegular(path);
  const stream = fs.createReadStream('', { fd, highWaterMark: chunkSize, ...(signal ? { signal } : {}) });
  try {
    yield* split(stream as AsyncIterable<Buffer>, path, maxMessageBytes);
  } finally {
    stream.destroy();
  }
}

async function* split(chunks: AsyncIterable<Buffer>, path: string, maxMessageBytes: number): AsyncGenerator<MboxMessage> {
  let win: Buffer = Buffer.alloc(0); // the data not yet moved into `held`
  let winStart = 0; // file offset of win[0]
  let held: Buffer[] = []; // the current message's bytes before win: file range [msgStart, winStart)
  let heldLen = 0;
  let tooBig = false; // the current message passed the limit: held is dropped, only its length counts
  let msgStart = -1; // file offset where the current message starts (after its From line)
  let separator = '';
  let scanFrom = 0; // window index from which to search next
  let started = false; // the first From line has been read

  const resetMessage = (): void => {
    held = [];
    heldLen = 0;
    tooBig = false;
  };
  const takeSeparatorLine = (at: number): boolean => {
    // `at` is the window index of "From "; the message starts after the end of this line.
    const eol = win.indexOf(10, at);
    if (eol < 0) return false;
    separator = win.toString('latin1', at, Math.min(eol, at + 4096)).replace(/\r$/, '');
    msgStart = winStart + eol + 1;
    scanFrom = eol; // keep the '\n' so a following "\nFrom " right away is still seen
    resetMessage();
    return true;
  };
  /** The current message up to window index `endIdx` (exclusive). */
  const message = (endIdx: number): MboxMessage => {
    const startIdx = msgStart - winStart;
    const length = winStart + endIdx - msgStart;
    if (tooBig || length > maxMessageBytes) return { offset: msgStart, length, bytes: Buffer.alloc(0), separator, tooBig: true };
    const tail = win.subarray(Math.max(startIdx, 0), endIdx);
    const bytes = held.length === 0 ? tail : Buffer.concat([...held, tail], length);
    return { offset: msgStart, length, bytes, separator };
  };
  /** Moves the window's bytes before `cut` out of it (into held when they belong to the message). */
  const shift = (cut: number): void => {
    if (cut <= 0) return;
    const startIdx = Math.max(msgStart - winStart, 0);
    if (msgStart >= 0 && cut > startIdx) {
      const piece = win.subarray(startIdx, cut);
      heldLen += piece.length;
      if (!tooBig && heldLen > maxMessageBytes) {
        tooBig = true;
        held = [];
      }
      if (!tooBig) held.push(piece);
    }
    win = win.subarray(cut);
    winStart += cut;
    scanFrom -= cut;
  };

  for await (const chunk of chunks) {
    win = win.length === 0 ? chunk : Buffer.concat([win, chunk]);
    if (!started) {
      if (winStart === 0 && win.length < 5) continue;
      if (winStart === 0 && win.toString('latin1', 0, 5) !== 'From ') {
        throw new Error(`${path}: not an mbox file (it does not start with a "From " line)`);
      }
      if (!takeSeparatorLine(0)) {
        if (win.length > MAX_SEPARATOR_LINE) throw new Error(`${path}: not an mbox file (its first line is longer than ${MAX_SEPARATOR_LINE} bytes)`);
        continue;
      }
      started = true;
    }
    for (;;) {
      const i = win.indexOf(FROM_LF, scanFrom);
      if (i < 0) {
        scanFrom = Math.max(scanFrom, win.length - FROM_LF.length);
        break;
      }
      // Every line that starts with "From " separates messages (mboxo/mboxrd quote such body lines as
      // ">From "). The empty line usually written before it belongs to the mbox, not to the message.
      const msgStartIdx = msgStart - winStart;
      if (i < msgStartIdx) {
        scanFrom = i + 1;
        continue;
      }
      let endIdx = i + 1;
      if (win[i - 1] === 10 && i - 1 >= msgStartIdx) endIdx = i;
      else if (win[i - 1] === 13 && win[i - 2] === 10 && i - 2 >= msgStartIdx) endIdx = i - 1;
      const eol = win.indexOf(10, i + 1);
      if (eol < 0) {
        if (win.length - i > MAX_SEPARATOR_LINE) {
          // Not a separator line anyone wrote: go on scanning after it as message text.
          scanFrom = i + 1;
          continue;
        }
        scanFrom = i; // wait for the rest of the From line
        break;
      }
      yield message(endIdx);
      takeSeparatorLine(i + 1);
    }
    // Keep only what the next search needs: the scan point and the line end before it.
    shift(Math.min(scanFrom, win.length) - KEEP_BEFORE);
    if (win.byteOffset > 0 && win.length < 64 * 1024) win = Buffer.from(win); // do not pin a whole 1 MB chunk for a few bytes
  }
  if (!started) return; // empty, or only a From line without a line end
  const startIdx = msgStart - winStart;
  let endIdx = win.length;
  // The last message may end with the mbox's trailing empty line.
  if (win[endIdx - 1] === 10 && win[endIdx - 2] === 10) endIdx--;
  else if (win[endIdx - 1] === 10 && win[endIdx - 2] === 13 && win[endIdx - 3] === 10) endIdx -= 2;
  if (endIdx > startIdx) yield message(endIdx);
}

/** True when some line is ">From ", ">>From " … (only then is a copy needed). */
export function isMboxQuoted(bytes: Buffer): boolean {
  let i = bytes.indexOf('>');
  while (i >= 0) {
    if (i === 0 || bytes[i - 1] === 10) {
      let j = i;
      while (bytes[j] === 62) j++;
      if (bytes.toString('latin1', j, j + 5) === 'From ') return true;
    }
    i = bytes.indexOf('>', i + 1);
  }
  return false;
}

/** Removes one ">" from every /^>+From / line (mboxrd; also undoes mboxo quoting). */
export function unquoteMbox(bytes: Buffer): Buffer {
  if (!isMboxQuoted(bytes)) return bytes;
  const text = bytes.toString('latin1');
  return Buffer.from(text.replace(/(^|\n)>(>*From )/g, '$1$2'), 'latin1');
}
