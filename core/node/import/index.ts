export * from './importer.js';
export * from './discover.js';
export { readMbox, unquoteMbox, isMboxQuoted, type MboxMessage } from './mbox.js';
export { readMsg, isCfb, type MsgRead } from './msg.js';
export { MessageWriter, sha256, quarantineReason, MAX_MESSAGE_BYTES, type RowOutcome } from './writer.js';
