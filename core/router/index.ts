// Public surface of the E-mail Router sink-mailbox mode (what the host and the app call).
export * from './types.js';
export { replayRouter, routerSettings, sinkViewAfter } from './replay.js';
export { unwrapSinkItem, detectInlineForward, sinkItemFromFacts, type SinkItemFacts, type Unwrapped } from './unwrap.js';
export { sinkItemFromBytes, type SinkItemContext } from './sinkItem.js';
export { explainRouterDecision, routerHeadline } from './explain.js';
export { compareRouterResults, type RouterComparison, type MessageChange, type FieldChange } from './compare.js';
export { parseRouterScenario, settingsFor, toRouterRunResults, checkRouterExpect, type RouterScenario, type RouterRunResult, type RouterExpect } from './scenario.js';
