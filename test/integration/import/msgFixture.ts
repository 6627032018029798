// Builds a minimal Outlook .msg (CFB) with msgreader's own CFB burner, so the .msg importer is tested on a real
// compound file: top-level property streams "__substg1.0_<tag><type>" as Outlook writes them (MS-OXMSG 2.1.3).
// No real .msg file is available in the corpora (the MimeKit dkim/*.msg files are RFC 822 text).

import { burn } from '@kenjiuno/msgreader/lib/Burner.js';
import { TypeEnum } from '@kenjiuno/msgreader/lib/Reader.js';

export interface MsgProps {
  /** tag (4 hex) → string, written as PT_UNICODE (001F). */
  strings: Record<string, string>;
  /** tag (4 hex) → bytes, written as PT_BINARY (0102). */
  binaries?: Record<string, Uint8Array>;
}

export function buildMsg(props: MsgProps): Uint8Array {
  const docs: Array<{ name: string; data: Uint8Array }> = [];
  for (const [tag, value] of Object.entries(props.strings)) {
    docs.push({ name: `__substg1.0_${tag.toUpperCase()}001F`, data: new Uint8Array(Buffer.from(value, 'utf16le')) });
  }
  for (const [tag, value] of Object.entries(props.binaries ?? {})) {
    // Copy: the burner reads the array's underlying buffer, so a pooled Buffer view would leak other bytes.
    docs.push({ name: `__substg1.0_${tag.toUpperCase()}0102`, data: Uint8Array.from(value) });
  }
  return burn([
    { name: 'Root Entry', type: TypeEnum.ROOT, length: 0, children: docs.map((_, i) => i + 1) },
    ...docs.map((d) => ({ name: d.name, type: TypeEnum.DOCUMENT, length: d.data.length, binaryProvider: () => d.data })),
  ]);
}
