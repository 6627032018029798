import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../core/node/import/importer.js';
import { readMsg } from '../../../core/node/import/msg.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { loadMessages } from '../../../core/node/workspace/repo.js';
import { buildMsg } from './msgFixture.js';
import { tempDir } from './helpers.js';

const dir = tempDir('synclens-msg-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const CI = Buffer.from('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A', 'base64');

describe('Outlook .msg', () => {
  it('maps PidTagInternetMessageId, PidTagConversationIndex, subject, sender and message class when there are no transport headers', () => {
    const m = readMsg(buildMsg({
      strings: { '0037': 'Angebot CRM:0001001', '1035': '<msg.1@example.com>', '0C1F': 'bob@example.com', '0C1A': 'Bob', '001A': 'IPM.Note', '0070': 'Angebot' },
      binaries: { '0071': CI },
    }));
    expect(m.parsed.messageId).toBe('<msg.1@example.com>');
    expect(m.parsed.subject).toBe('Angebot CRM:0001001');
    expect(m.parsed.from?.address).toBe('bob@example.com');
    // PidTagConversationIndex is the binary form of Thread-Index (research §8).
    expect(m.parsed.threadIndex).toBe('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
    expect(m.parsed.threadIndexDecoded?.depth).toBe(1);
    expect(m.parsed.threadTopic).toBe('Angebot');
    expect(m.parsed.flags.missingMessageId).toBe(false);
  });

  it('uses the transport headers (In-Reply-To, auto-reply headers …) and fills only what they lack', () => {
    const headers = 'Received: from a by b; Wed, 15 May 2024 08:00:02 +0000\r\nFrom: Carla <carla@example.com>\r\nTo: alice@example.com\r\n' +
      'Subject: Automatic reply: x\r\nDate: Wed, 15 May 2024 08:00:00 +0000\r\nMessage-ID: <hdr.1@example.com>\r\nIn-Reply-To: <orig@example.com>\r\n' +
      'Auto-Submitted: auto-replied\r\n\r\n';
    const m = readMsg(buildMsg({ strings: { '007D': headers, '1035': '<ignored@example.com>', '0037': 'Automatic reply: x', '001A': 'IPM.Note.SMIME.MultipartSigned' }, binaries: { '0071': CI } }));
    expect(m.parsed.messageId).toBe('<hdr.1@example.com>');
    expect(m.parsed.inReplyTo).toBe('<orig@example.com>');
    expect(m.parsed.to.map((a) => a.address)).toEqual(['alice@example.com']);
    expect(m.parsed.received).toBe('2024-05-15T08:00:02.000Z');
    expect(m.parsed.flags.autoReply).toBe(true);
    expect(m.parsed.threadIndex).toBe('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
    expect(m.parsed.flags.smimeSigned).toBe(true);
  });

  it('imports .msg files into the workspace, idempotently', async () => {
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'a.msg'), buildMsg({ strings: { '0037': 'One', '1035': '<one@example.com>', '0C1F': 'x@example.com' } }));
    fs.writeFileSync(path.join(src, 'b.msg'), buildMsg({ strings: { '0037': 'Two', '0C1F': 'y@example.com', '001A': 'IPM.Note.SMIME' } }));
    const ws = openWorkspace(path.join(dir, 'w.synclens'));
    const s = await importPaths(ws, [src], { mailbox: 'a@example.com' });
    expect(s.counts).toEqual({ imported: 2, duplicate: 0, quarantined: 0, inner: 0 });
    const msgs = loadMessages(ws);
    expect(msgs.map((m) => [m.subject, m.messageId, m.flags.smimeEncrypted])).toEqual([['One', '<one@example.com>', false], ['Two', null, true]]);
    expect(msgs[1]?.flags.missingMessageId).toBe(true);
    expect((await importPaths(ws, [src], { mailbox: 'a@example.com' })).counts.duplicate).toBe(2);
    ws.close();
  });
});
