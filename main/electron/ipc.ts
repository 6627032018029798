// The one IPC entry point, as a pure function: sender check, then the closed method list and schema
// validation, then either main's own handler (native dialogs) or the engine host.
import type { Envelope, MethodName } from '../../core/contract/contract.js';
import { validateInput } from '../../core/contract/schemas.js';
import { isTrustedSender, type SenderLike } from './security.js';

export interface InvokeDeps {
  ourWebContentsIds: ReadonlySet<number>;
  /** The renderer dev server's origin under `npm run dev` (security.ts devServerOrigin), else null. */
  devOrigin?: string | null;
  /** Methods main answers itself (no host round trip). */
  local: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>>;
  forward(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
}

export async function handleInvoke(event: SenderLike, method: unknown, input: unknown, deps: InvokeDeps): Promise<Envelope<unknown>> {
  if (!isTrustedSender(event, deps.ourWebContentsIds, deps.devOrigin ?? null)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'Refused: this call did not come from the SyncLens window.' } };
  }
  const v = validateInput(method, input);
  if (!v.ok) return { ok: false, error: v.error };
  const local = deps.local[v.method];
  if (local) {
    try {
      return { ok: true, value: await local(v.input) };
    } catch (err) {
      return { ok: false, error: { code: 'INTERNAL', message: `${v.method} failed: ${err instanceof Error ? err.message : String(err)}` } };
    }
  }
  return deps.forward(v.method, v.input);
}
