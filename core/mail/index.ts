// Public surface of the pure mail core.
export * from './facts.js';
export * from './headers.js';
export * from './addresses.js';
export * from './dates.js';
export * from './mime.js';
export * from './rfc2047.js';
export * from './threadIndex.js';
export * from './classify.js';
export { decodeBase64, toHex } from './bytes.js';
