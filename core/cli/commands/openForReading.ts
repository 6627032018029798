// Commands that only read a workspace (stats, explain) should still work on a read-only copy (an
// auditor's archived file), yet migrate an older workspace when they may. So: open for writing, and
// fall back to a read-only connection only when writing is what was refused.
import { openWorkspace, WorkspaceError, type Workspace } from '../../node/workspace/index.js';

export function openForReading(file: string): Workspace {
  try {
    return openWorkspace(file, { create: false });
  } catch (e) {
    if (e instanceof WorkspaceError && /cannot write the workspace/.test(e.message)) return openWorkspace(file, { create: false, readonly: true });
    throw e;
  }
}
