// The engine host: the one place that owns the workspace connection and does the heavy work. It is
// transport-independent — Electron runs it in a utilityProcess (hostProcess.ts) and browser mode in a
// Node child process (nodeHostProcess.ts) — so both front ends get identical behaviour. Every call is
// validated again here (defence in depth: the host never trusts its transport), then dispatched;
// every result is an Envelope, never a throw.
//
// createHost only assembles: one handler module per domain (workspace, import, messages, settings,
// replay, analysis, training, support, and the organization, mailbox, connector and near-miss ones),
// each typed as its slice of the contract, over one shared context (context.ts).
import type { Envelope } from '../../core/contract/contract.js';
import { PATH_FIELDS, validateInput } from '../../core/contract/schemas.js';
import { createAnalysisHandlers } from './analysis.js';
import { createConnectHandlers } from './connect.js';
import { createContext, type Handlers, type HostEventListener, type HostOptions } from './context.js';
import { fail, toContractError } from './errors.js';
import { createHashMatchHandlers } from './hashMatch.js';
import { createImportHandlers } from './import.js';
import { createMailboxHandlers } from './mailboxes.js';
import { createMessageHandlers } from './messages.js';
import { createOrgHandlers } from './org.js';
import { createReplayHandlers } from './replay.js';
import { createSettingsHandlers } from './settings.js';
import { createSupportHandlers } from './support.js';
import { createTrainingHandlers } from './training.js';
import { createWorkspaceHandlers } from './workspace.js';

export type { HostEventListener, HostOptions } from './context.js';
export { HostError, toContractError } from './errors.js';

export interface Host {
  invoke(method: unknown, input: unknown): Promise<Envelope<unknown>>;
  /** Privileged: only main/the server call this, after a native dialog or drop chose these paths. */
  allowPaths(paths: readonly string[]): void;
  onEvent(listener: HostEventListener): () => void;
  close(): void;
}

export function createHost(options: HostOptions): Host {
  const ctx = createContext(options);
  const handlers: Handlers = {
    ...createWorkspaceHandlers(ctx),
    ...createImportHandlers(ctx),
    ...createMessageHandlers(ctx),
    ...createSettingsHandlers(ctx),
    ...createReplayHandlers(ctx),
    ...createAnalysisHandlers(ctx),
    ...createTrainingHandlers(ctx),
    ...createSupportHandlers(ctx),
    ...createOrgHandlers({
      requireWs: ctx.requireWs,
      baselineSettings: () => ctx.profileSettings(ctx.baselineName()),
      fail,
      changed: () => void ctx.dataChanged(),
      useAsBaseline: (name) => ctx.prefs.setBaseline(ctx.requireWs().file, name),
    }),
    ...createHashMatchHandlers({ requireWs: ctx.requireWs, fail }),
    ...createMailboxHandlers({
      requireWs: ctx.requireWs,
      profileNames: () => ctx.profiles().map((p) => p.name),
      profileSettings: ctx.profileSettings,
      baselineName: ctx.baselineName,
      fail,
      // Mailbox changes live in a profile; the session is dropped all the same, so no replay can see stale mailboxes.
      changed: () => void ctx.dataChanged(),
    }),
    ...createConnectHandlers({
      requireWs: ctx.requireWs,
      startJob: ctx.startJob,
      emit: ctx.emit,
      options: options.connect ?? {},
      changed: () => void ctx.dataChanged(),
      fail,
    }),
  };

  return {
    async invoke(method, input) {
      const v = validateInput(method, input);
      if (!v.ok) return { ok: false, error: v.error };
      try {
        const pathsOf = PATH_FIELDS[v.method] as ((i: unknown) => string[]) | undefined;
        for (const p of pathsOf?.(v.input) ?? []) ctx.checkedPath(p);
        const handler = handlers[v.method] as (i: unknown) => unknown;
        return { ok: true, value: await handler(v.input) };
      } catch (err) {
        return { ok: false, error: toContractError(v.method, err) };
      }
    },
    allowPaths(paths) {
      ctx.allow.allow(paths);
    },
    onEvent(listener) {
      return ctx.onEvent(listener);
    },
    close() {
      ctx.jobs.cancelAll();
      ctx.setWorkspace(null, false);
    },
  };
}
