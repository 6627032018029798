// The only module that talks to the engine: it unwraps the contract's envelopes so views deal in
// values and one error type. Failures never throw across the boundary (they arrive as envelopes);
// here they become ApiError so a view can show the engine's actionable message in a banner.
import type {
  ContractError,
  ErrorCode,
  EventName,
  Events,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../core/contract/contract.js';
import { getApi } from './bridge.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly details: string[];
  readonly method: MethodName;

  constructor(method: MethodName, error: ContractError) {
    super(error.message);
    this.code = error.code;
    this.details = error.details ?? [];
    this.method = method;
  }
}

/** Calls one contract method and returns its value, or throws ApiError with the engine's message. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  let envelope;
  try {
    envelope = await getApi().invoke(method, input);
  } catch (cause) {
    // A transport failure (bridge gone, server stopped) is not an engine error; say so plainly.
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(method, { code: 'INTERNAL', message: `Could not reach the engine for ${method}: ${message}` });
  }
  if (envelope.ok) return envelope.value;
  throw new ApiError(method, envelope.error);
}

export function onEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return getApi().on(event, listener);
}

/** A job id the caller owns, so it can cancel before the first progress event arrives. */
export function newJobId(kind: string): string {
  const random = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return `${kind}-${random}`;
}
