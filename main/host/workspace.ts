// Host handlers of the workspace itself: open, create, the bundled sample (built from the training
// scenarios and replayed once with the defaults), its summary, the recent list, cancelling a job, and
// the native file dialog (which only Electron main answers).
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceInfo } from '../../core/contract/contract.js';
import { DEFAULT_SETTINGS } from '../../core/engine/index.js';
import { openWorkspace } from '../../core/node/workspace/index.js';
import { ensureSampleWorkspace } from '../../core/node/scenario/sample.js';
import type { HandlerSlice, HostContext } from './context.js';
import { HostError } from './errors.js';
import { replayAndSave } from './replayJobs.js';

export type WorkspaceMethod = 'workspace.open' | 'workspace.create' | 'workspace.openSample' | 'workspace.info' | 'workspace.recent' | 'job.cancel' | 'dialog.choose';

export function createWorkspaceHandlers(ctx: HostContext): HandlerSlice<WorkspaceMethod> {
  const { options } = ctx;
  const open = (file: string, create: boolean, sample: boolean): WorkspaceInfo => {
    ctx.setWorkspace(openWorkspace(file, { create, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) }), sample);
    ctx.allow.allow([path.dirname(file)]);
    if (!sample) ctx.prefs.remember(file);
    const result = ctx.info();
    ctx.emit('workspace.changed', result);
    return result;
  };

  return {
    'workspace.open': ({ path: p }) => open(ctx.checkedPath(p), false, false),

    'workspace.create': ({ path: p }) => {
      const file = ctx.checkedPath(p);
      if (fs.existsSync(file)) throw new HostError('WORKSPACE_ERROR', `${file} already exists: open it instead, or choose a new file name.`);
      return open(file, true, false);
    },

    'workspace.openSample': async () => {
      if (!options.scenariosDir) throw new HostError('NOT_FOUND', 'This build has no training scenarios to build the sample from: start SyncLens with its assets/scenarios folder.');
      // Built once from the scenario library and cached; rebuilt when a scenario changes.
      const built = await ensureSampleWorkspace(options.scenariosDir, options.sampleWorkspaceDir, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
      const opened = open(built.file, false, true);
      // The sample opens with decisions to look at: replay it with the defaults the first time (in the
      // session, so the first what-if starts from this run).
      if (opened.latestRunId !== null) return opened;
      const session = ctx.session();
      await replayAndSave(session.ws, ctx.replayFn, 'Default', DEFAULT_SETTINGS, { cache: session.cache }, session.input());
      return ctx.runsChanged();
    },

    'workspace.info': () => ctx.info(),

    'workspace.recent': () => ctx.prefs.recent(),

    'job.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),

    // Native dialogs belong to Electron main, which answers this method itself; reaching the host means
    // there is no native UI (browser mode).
    'dialog.choose': () => {
      throw new HostError('INTERNAL', 'There are no native file dialogs in browser mode: type or paste the full path instead.');
    },
  };
}
