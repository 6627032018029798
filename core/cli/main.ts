// CLI dispatcher: each command lives in core/cli/commands/<name>.ts and exports run(argv).

const COMMANDS: Record<string, string> = {
  scenario: './commands/scenario.js', token: './commands/token.js', 'thread-index': './commands/threadIndex.js',
  import: './commands/import.js', inspect: './commands/inspect.js', workspace: './commands/workspace.js',
  replay: './commands/replay.js', explain: './commands/explain.js',
  support: './commands/support.js',
  presets: './commands/presets.js',
  router: './commands/router.js',
  whatif: './commands/whatif.js', 'apply-kit': './commands/applyKit.js', sweep: './commands/sweep.js',
  audit: './commands/audit.js', report: './commands/report.js',
  case: './commands/case.js',
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const path = cmd ? COMMANDS[cmd] : undefined;
  if (!path) {
    const help = cmd === '--help' || cmd === '-h' || cmd === 'help';
    (help ? process.stdout : process.stderr).write(`usage: synclens <${Object.keys(COMMANDS).join('|')}> ...\n(each command takes --help)\n`);
    return help ? 0 : 64;
  }
  let mod: { run?: (a: string[]) => Promise<number> };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (e) {
    process.stderr.write(`command '${cmd}' is not available: ${(e as Error).message}\n`);
    return 70;
  }
  if (typeof mod.run !== 'function') { process.stderr.write(`command '${cmd}' has no run()\n`); return 70; }
  return mod.run(rest);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exitCode = 70; });
