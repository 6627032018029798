// The one argument parser of the CLI: node:util.parseArgs (strict, so an unknown option or a missing
// value is a usage error, and `--name=value`, `--` and repeated options work as in every Node tool),
// wrapped so that every command gets the same `--help`/`-h`, the same usage-error message and the same
// exit codes.
//
// Exit codes (every command):
//   0  ok
//   1  failure: the command ran and the answer is no (expectations not met, configuration not supported,
//      no token found), or the work itself failed (a mail file or workspace that cannot be read, a
//      report that cannot be written)
//   2  usage: the command line cannot be run as given: unknown or missing options and arguments, and the
//      command's own input files (settings, configuration, scenario, tag) that cannot be read or are
//      invalid. `scenario check` returns 2 when a scenario could not be read (SCENARIO-FORMAT.md).
import { parseArgs as nodeParseArgs } from 'node:util';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input the command was given (settings, configuration, scenario file) is unusable: printed as is, exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export type OptionSpec =
  | { type: 'string'; multiple?: false; short?: string; description?: string }
  | { type: 'string'; multiple: true; short?: string; description?: string }
  | { type: 'boolean'; multiple?: false; short?: string; description?: string };

export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed values: a string (or string[] when repeatable) for valued options, true for flags. */
export type Values<O extends OptionSpecs> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
};

export interface Parsed<O extends OptionSpecs> {
  values: Values<O>;
  positionals: string[];
}

/** Parses argv against the options; throws UsageError (never node's own error type). */
export function parseOptions<O extends OptionSpecs>(argv: readonly string[], options: O): Parsed<O> & { help: boolean } {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(options)) {
    config[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  try {
    const r = nodeParseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
    const { help, ...values } = r.values as Record<string, unknown>;
    return { values: values as Values<O>, positionals: r.positionals, help: help === true };
  } catch (e) {
    // node's messages name the option and say what is wrong; drop its hint about `--` for positionals.
    const msg = (e as Error).message.split('. To specify a positional argument')[0] ?? (e as Error).message;
    throw new UsageError(msg.replace(/^Unknown option '(.+)'$/, 'unknown option $1'));
  }
}

export type Out = { out: (s: string) => void; err: (s: string) => void };
export const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export interface Command<O extends OptionSpecs> {
  /** As typed: `scenario run`, `workspace stats`. */
  name: string;
  usage: string;
  options: O;
}

/**
 * Parses argv for one command and runs its body. `--help`/`-h` prints the usage (exit 0); a UsageError,
 * from parsing or thrown by the body, prints `name: problem` and the usage (exit 2); an InputError prints
 * its message, which names the file and the problem (exit 2).
 */
export async function runCommand<O extends OptionSpecs>(cmd: Command<O>, argv: readonly string[], io: Out, body: (p: Parsed<O>) => Promise<number> | number): Promise<number> {
  try {
    const p = parseOptions(argv, cmd.options);
    if (p.help) {
      io.out(cmd.usage);
      return EXIT.ok;
    }
    return await body(p);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}\n${cmd.usage}`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      io.err(e.message);
      return EXIT.usage;
    }
    throw e;
  }
}

/** Commands with subcommands: picks one by the first argument; `help`, `--help` and `-h` print the usage. */
export async function runSubcommand(name: string, usage: string, argv: readonly string[], io: Out, subs: Record<string, (rest: string[]) => Promise<number>>): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    if (sub === undefined) {
      io.err(`${name}: missing subcommand\n${usage}`);
      return EXIT.usage;
    }
    io.out(usage);
    return EXIT.ok;
  }
  const run = Object.hasOwn(subs, sub) ? subs[sub] : undefined;
  if (!run) {
    io.err(`${name}: unknown subcommand ${sub}\n${usage}`);
    return EXIT.usage;
  }
  return run(rest);
}

/** A whole number option (or the fallback when absent); UsageError otherwise. */
export function intOption(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  return Number(value);
}
