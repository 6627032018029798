// The replay session of the open workspace: its replay input, loaded once, and one engine cache shared
// by every replay the app asks for (Run replay, what-if, the explained what-if, preset comparison, a
// sweep point). The engine reuses its previous run when it is handed the same input arrays again
// (core/engine, ReplayCache), so a re-replay or a what-if after the first replay only redoes the
// decisions that read a changed setting, as the bench measures. The host drops the session whenever the
// workspace's data changes (import, organization load, pulls, mailbox overrides, open, close): the
// arrays would no longer be what the workspace holds.
import { applyMailboxOverrides, type MailboxOverrides } from '../../core/analysis/mailboxOverrides.js';
import { ReplayCache } from '../../core/engine/index.js';
import { loadReplayInput, type Workspace } from '../../core/node/workspace/index.js';
import type { LoadedInput } from './replayJobs.js';

export class WorkspaceReplaySession {
  private base: LoadedInput | null = null;
  /** The input under each profile's mailbox changes, by their JSON: the same changes give the same arrays, so the engine reuses. */
  private readonly withOverrides = new Map<string, LoadedInput>();
  readonly cache = new ReplayCache();
  /** How many times the input was read from the workspace (tests check it is once per session). */
  loads = 0;

  constructor(readonly ws: Workspace) {}

  /** The workspace's replay input (without settings), read on first use. */
  input(): LoadedInput {
    if (!this.base) {
      this.base = loadReplayInput(this.ws);
      this.loads++;
    }
    return this.base;
  }

  /**
   * The input with a profile's mailbox changes applied (the Mailboxes view): only the mailbox list
   * differs, the messages, tracked emails and directory are the same arrays.
   */
  inputWith(overrides: MailboxOverrides): LoadedInput {
    const base = this.input();
    if (Object.keys(overrides).length === 0) return base;
    const key = JSON.stringify(overrides);
    let found = this.withOverrides.get(key);
    if (!found) {
      found = { ...base, mailboxes: applyMailboxOverrides(base.mailboxes, overrides) };
      this.withOverrides.set(key, found);
    }
    return found;
  }
}
