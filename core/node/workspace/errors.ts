// Typed errors of the workspace layer: every one names the file and says what to do.

export type WorkspaceErrorCode =
  | 'OPEN_FAILED'
  | 'FROM_THE_FUTURE'
  | 'UNKNOWN_MIGRATION'
  | 'NOT_A_WORKSPACE'
  | 'MIGRATION_FAILED'
  | 'NOT_FOUND'
  | 'INVALID_INPUT';

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly code: WorkspaceErrorCode,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}
