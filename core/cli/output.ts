// What the command line prints when it cannot go on (issue 12 item 11): a reader that went away (`| head`)
// ends the command quietly, and a failure nobody caught becomes one plain sentence naming the workspace,
// never a stack trace (SYNCLENS_DEBUG=1 adds the stack for a bug report).

/** Exit codes of the command line: 0 ok, 1 failure, 2 usage. */
export const EXIT_FAILURE = 1;

/**
 * When the reader of stdout/stderr closes the pipe (EPIPE), stop at once and quietly: the rest of the output
 * has nowhere to go and an error about it would only be noise. Other stream errors are reported once.
 */
export function endQuietlyOnClosedPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
      if (s !== process.stderr) process.stderr.write(`synclens: cannot write the output: ${err.message}\n`);
      process.exit(EXIT_FAILURE);
    });
  }
}

function errCode(err: unknown): string {
  const e = err as { code?: unknown } | null;
  return e && typeof e.code === 'string' ? e.code : '';
}

/** The value of `--workspace FILE` / `--workspace=FILE` in the arguments, if any. */
export function workspaceArg(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--workspace') return argv[i + 1] ?? null;
    if (a.startsWith('--workspace=')) return a.slice('--workspace='.length);
  }
  return null;
}

/** One sentence for an error no command caught, naming the command and its workspace. */
export function failureMessage(err: unknown, argv: readonly string[]): string {
  const cmd = argv[0] ?? 'synclens';
  const ws = workspaceArg(argv);
  const where = ws ? ` the workspace ${ws}` : ' its output';
  const code = errCode(err);
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  // SQLite reports a full disk (or a file-size limit) as SQLITE_FULL, SQLITE_IOERR_WRITE or "disk is full";
  // Node as ENOSPC / EFBIG.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EFBIG' || code.startsWith('SQLITE_IOERR') || /disk is full|database or disk is full|file too large/i.test(text)) {
    return `synclens ${cmd}: the disk is full: ${where.trim()} could not be written (${code || text}). Free some space and run it again; what was saved before this run is kept.`;
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY' || /readonly/i.test(text)) {
    return `synclens ${cmd}: ${where.trim()} is read-only (${code || text}): check its permissions.`;
  }
  return `synclens ${cmd} failed${ws ? ` on the workspace ${ws}` : ''}: ${text}${code ? ` (${code})` : ''}`;
}

/** Prints the failure (plus the stack when SYNCLENS_DEBUG=1) and sets the failure exit code. */
export function reportFailure(err: unknown, argv: readonly string[]): void {
  process.stderr.write(`${failureMessage(err, argv)}\n`);
  if (process.env.SYNCLENS_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = EXIT_FAILURE;
}
