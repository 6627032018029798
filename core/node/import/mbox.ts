// Streaming mbox splitter. Reads the file with a read stream (never whole), splits on every line that starts
// with "From " (the mbox definition: writers quote such body lines as ">From "), handles LF and CRLF,
// and reports each message's exact byte range in the file. ">From " unquoting (mboxrd: one ">" removed from /^>+From /, which also undoes mboxo's quoting) is done by `unquoteMbox`.

import fs from 'node:fs';

export interface MboxMessage {
  /** Byte offset of the message (after its "From " line) in the file. */
  offset: number;
  length: number;
  /** The message bytes as stored in the file (still quoted). Valid only until the next iteration. */
  bytes: Buffer;
  /** The "From " separator line, without line end. */
  separator: string;
}

const FROM_LF = Buffer.from('\nFrom ');

export async function* readMbox(path: string, signal?: AbortSignal, chunkSize = 1 << 20): AsyncGenerator<MboxMessage> {
  const stream = fs.createReadStream(path, { highWaterMark: chunkSize, signal });
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = 0; // file offset of buf[0]
  let msgStart = -1; // file offset where the current message starts (after its From line)
  let separator = '';
  let scanFrom = 0; // buffer index from which to search next
  let pendingSepLine = false; // a "From " line starts at scanFrom but its end is not yet in the buffer

  const takeSeparatorLine = (at: number): boolean => {
    // `at` is the buffer index of "From "; the message starts after the end of this line.
    const eol = buf.indexOf(10, at);
    if (eol < 0) return false;
    separator = buf.toString('latin1', at, eol).replace(/\r$/, '');
    msgStart = bufStart + eol + 1;
    scanFrom = eol; // keep the '\n' so a following "\nFrom " right away is still seen
    return true;
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (bufStart === 0 && msgStart < 0 && !pendingSepLine) {
      if (buf.length < 5) continue;
      if (buf.toString('latin1', 0, 5) !== 'From ') {
        throw new Error(`${path}: not an mbox file (it does not start with a "From " line)`);
      }
      pendingSepLine = true;
      scanFrom = 0;
    }
    if (pendingSepLine) {
      if (!takeSeparatorLine(scanFrom)) continue;
      pendingSepLine = false;
    }
    for (;;) {
      const i = buf.indexOf(FROM_LF, scanFrom);
      if (i < 0) {
        scanFrom = Math.max(scanFrom, buf.length - FROM_LF.length);
        break;
      }
      // Every line that starts with "From " separates messages (mboxo/mboxrd quote such body lines as
      // ">From "). The empty line usually written before it belongs to the mbox, not to the message.
      const msgStartIdx = msgStart - bufStart;
      if (i < msgStartIdx) {
        scanFrom = i + 1;
        continue;
      }
      let endIdx = i + 1;
      if (buf[i - 1] === 10 && i - 1 >= msgStartIdx) endIdx = i;
      else if (buf[i - 1] === 13 && buf[i - 2] === 10 && i - 2 >= msgStartIdx) endIdx = i - 1;
      const eol = buf.indexOf(10, i + 1);
      if (eol < 0) {
        scanFrom = i; // wait for the rest of the From line
        break;
      }
      yield { offset: msgStart, length: endIdx - msgStartIdx, bytes: buf.subarray(msgStartIdx, endIdx), separator };
      takeSeparatorLine(i + 1);
      // Drop consumed bytes so memory stays bounded by the largest message plus one chunk.
      // Keep the '\n' before msgStart so a "From " line right at the message start is still found.
      const drop = msgStart - bufStart - 1;
      if (drop > chunkSize) {
        buf = Buffer.from(buf.subarray(drop));
        bufStart += drop;
        scanFrom -= drop;
      }
    }
    if (msgStart >= 0) {
      const drop = msgStart - bufStart - 1;
      if (drop > 0 && drop > buf.length / 2) {
        buf = Buffer.from(buf.subarray(drop));
        bufStart += drop;
        scanFrom = Math.max(0, scanFrom - drop);
      }
    }
  }
  if (pendingSepLine && buf.length > 0) {
    // A file that is only a From line (no line end).
    return;
  }
  if (msgStart >= 0) {
    const startIdx = msgStart - bufStart;
    let endIdx = buf.length;
    // The last message may end with the mbox's trailing empty line.
    if (buf[endIdx - 1] === 10 && buf[endIdx - 2] === 10) endIdx--;
    else if (buf[endIdx - 1] === 10 && buf[endIdx - 2] === 13 && buf[endIdx - 3] === 10) endIdx -= 2;
    if (endIdx > startIdx) yield { offset: msgStart, length: endIdx - startIdx, bytes: buf.subarray(startIdx, endIdx), separator };
  }
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
