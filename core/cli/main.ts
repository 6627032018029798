// CLI dispatcher: each command lives in core/cli/commands/<name>.ts and exports run(argv). The table
// holds static import() calls, so the build (main/build/node.mjs) compiles each command into its own
// chunk and `--help` loads none of them. Exit codes: core/cli/args.ts.
import { EXIT } from './args.js';
import { endQuietlyOnClosedPipe, reportFailure } from './output.js';

type CommandModule = { run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  scenario: () => import('./commands/scenario.js'),
  token: () => import('./commands/token.js'),
  'thread-index': () => import('./commands/threadIndex.js'),
  import: () => import('./commands/import.js'),
  inspect: () => import('./commands/inspect.js'),
  workspace: () => import('./commands/workspace.js'),
  replay: () => import('./commands/replay.js'),
  explain: () => import('./commands/explain.js'),
  support: () => import('./commands/support.js'),
  presets: () => import('./commands/presets.js'),
  router: () => import('./commands/router.js'),
  whatif: () => import('./commands/whatif.js'),
  'apply-kit': () => import('./commands/applyKit.js'),
  sweep: () => import('./commands/sweep.js'),
  audit: () => import('./commands/audit.js'),
  report: () => import('./commands/report.js'),
  mailbox: () => import('./commands/mailbox.js'),
  org: () => import('./commands/org.js'),
  case: () => import('./commands/case.js'),
};

const USAGE = `usage: synclens <command> [options]   (every command takes --help)

commands: ${Object.keys(COMMANDS).join(', ')}
exit codes: 0 ok, 1 failure, 2 usage`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return EXIT.usage;
    }
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    process.stderr.write(`synclens: unknown command '${cmd}'\n${USAGE}\n`);
    return EXIT.usage;
  }
  const mod = await load();
  return mod.run(rest);
}

// Output piped into a reader that stops early (`| head`) ends the command quietly, not with EPIPE; a failure
// no command caught is one sentence naming the workspace (core/cli/output.ts), never a stack.
endQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => reportFailure(e, process.argv.slice(2)),
);
