// Host handlers of the supported-configuration check (issue 7): the rule table, checking a described
// deployment against it, the mailbox profile tags (which client each mailbox really uses) and the
// warnings a run's simulated use raises for them.
import { checkSupport, parseSupportConfig, replayWarnings, simulatedUseFromReplay, SUPPORT_RULES } from '../../core/analysis/supportCheck.js';
import { listDecisions, listProfileTags, listRuns, setProfileTag } from '../../core/node/workspace/index.js';
import type { HandlerSlice, HostContext } from './context.js';
import { fail } from './errors.js';

export type SupportMethod = 'support.rules' | 'support.check' | 'mailboxes.tags' | 'mailboxes.setTag' | 'replay.warnings';

export function createSupportHandlers(ctx: HostContext): HandlerSlice<SupportMethod> {
  return {
    'support.rules': () => [...SUPPORT_RULES],

    'support.check': ({ config }) => {
      let parsed;
      try {
        parsed = parseSupportConfig(config, 'the form');
      } catch (e) {
        return fail('INVALID_INPUT', (e as Error).message);
      }
      return checkSupport(parsed);
    },

    'mailboxes.tags': () => listProfileTags(ctx.requireWs()),

    'mailboxes.setTag': ({ mailbox, tag }) => {
      const w = ctx.requireWs();
      try {
        setProfileTag(w, mailbox, tag);
      } catch (e) {
        if (e instanceof Error && e.name !== 'WorkspaceError') fail('INVALID_INPUT', e.message);
        throw e;
      }
      return listProfileTags(w);
    },

    'replay.warnings': ({ runId }) => {
      const w = ctx.requireWs();
      const runs = listRuns(w);
      const run = runId === undefined ? (runs[runs.length - 1] ?? null) : runId === null ? null : (runs.find((r) => r.id === runId) ?? fail('NOT_FOUND', `Run ${runId} does not exist in this workspace.`));
      const tags = listProfileTags(w);
      if (!run || tags.length === 0) return { runId: run?.id ?? null, mailboxes: tags.map((t) => ({ mailbox: t.mailbox, tag: t.tag, warnings: [] })) };
      const messages = ctx.session().input().messages;
      const decisions = listDecisions(w, run.id);
      return {
        runId: run.id,
        mailboxes: tags.map((t) => ({ mailbox: t.mailbox, tag: t.tag, warnings: replayWarnings(t.tag, simulatedUseFromReplay(messages, decisions, t.mailbox)) })),
      };
    },
  };
}
