// Recognises Outlook data files by their header: "!BDN" then the client magic, "SM" for a PST and "SO" for
// an OST ([MS-PST] 2.2.2.6 HEADER: dwMagic, dwCRCPartial, wMagicClient). A file named .pst/.ost that does
// not carry the magic is still routed to the PST reader, which refuses it with the file and the reason.

import path from 'node:path';

export function sniffPst(head: Uint8Array, file: string): 'pst' | 'ost' | null {
  const ext = path.extname(file).toLowerCase();
  if (head.length >= 10 && head[0] === 0x21 && head[1] === 0x42 && head[2] === 0x44 && head[3] === 0x4e) {
    return head[8] === 0x53 && head[9] === 0x4f ? 'ost' : 'pst';
  }
  if (ext === '.pst') return 'pst';
  if (ext === '.ost') return 'ost';
  return null;
}
