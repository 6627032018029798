// IPC channel naming shared by main and preload: one channel per contract method/event, prefixed so
// nothing else in Electron collides with them. Zero dependencies beyond the contract's name lists.
export const INVOKE_PREFIX = 'synclens:invoke:';
export const EVENT_PREFIX = 'synclens:event:';
/** Preload → main: absolute paths of files dropped on the window (from webUtils.getPathForFile). */
export const DROP_CHANNEL = 'synclens:dropped';
