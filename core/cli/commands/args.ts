// Tiny argv parser shared by the commands of this package: positionals and `--name value` / `--flag`.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        out.options.set(name, v);
      } else if (booleans.includes(name)) {
        out.flags.add(name);
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}
