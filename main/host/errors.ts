// The host's failures as the contract's errors: every handler throws, and createHost turns what was
// thrown into an Envelope with a code and a sentence the user can act on.
import type { ContractError, MethodName } from '../../core/contract/contract.js';
import { WorkspaceError } from '../../core/node/workspace/index.js';
import { ScenarioLibraryError } from '../../core/node/scenario/library.js';
import { ScenarioError } from '../../core/scenario/scenario.js';

/** A failure that already knows its contract code and user-facing sentence. */
export class HostError extends Error {
  constructor(
    readonly code: ContractError['code'],
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

/** Throws a HostError: the `fail` the handler modules are given. */
export function fail(code: ContractError['code'], message: string, details?: string[]): never {
  throw new HostError(code, message, details);
}

/** Maps any failure to a contract error with a sentence the user can act on. */
export function toContractError(method: MethodName, err: unknown): ContractError {
  if (err instanceof HostError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof WorkspaceError) {
    return { code: err.code === 'NOT_FOUND' ? 'NOT_FOUND' : err.code === 'INVALID_INPUT' ? 'INVALID_INPUT' : 'WORKSPACE_ERROR', message: err.message };
  }
  if (err instanceof ScenarioLibraryError) return { code: err.code, message: err.message };
  if (err instanceof ScenarioError) return { code: 'INVALID_INPUT', message: `The training scenario does not load: ${err.message.split('\n')[0] ?? ''}`, details: err.message.split('\n') };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'CANCELLED', message: `${method} was cancelled.` };
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `${method} failed unexpectedly: ${text}`, details: err instanceof Error && err.stack ? [err.stack] : [] };
}
