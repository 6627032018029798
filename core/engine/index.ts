// The engine's one door: everything outside core/engine imports from here (a lint rule holds it), so
// the inside can be reshaped without touching its users. The layout follows SIMULATOR.md:
//   model/        the data model, the settings and their metadata, the one Outcome list, trace prose
//   primitives/   tracking tokens, Thread-Index, .NET regular expressions, subject/recipient hashing
//   stages/       processing order and the stages of §2 (resolve, accept, correlate …)
//   store/        the tracked-email store with its smart-matching index
//   replay/       the replay itself; replay/incremental/ holds what re-replay reuse needs
export * from './model/types.js';
export * from './model/settings.js';
export * from './model/settingsMeta.js';
export * from './model/explain.js';
export * from './primitives/tokens.js';
export * from './primitives/threadIndex.js';
export * from './primitives/dotnetRegex.js';
export * from './primitives/smartMatch.js';
export * from './stages/order.js';
export * from './stages/resolve.js';
export * from './stages/accept.js';
export * from './stages/correlate.js';
export * from './store/trackedStore.js';
export * from './replay/replay.js';
export { storeSignature, onlyHashSettingsDiffer } from './replay/incremental/internal.js';
