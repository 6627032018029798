// `token parse "<subject>" [--settings FILE]` and `token issue --user N --counter C [--count K] [--settings FILE]`.
// Thin wrapper over core/engine/tokens.ts so a support engineer can check what a subject's token means.

import { readFileSync } from 'node:fs';
import type { Settings } from '../../engine/settings.js';
import { DEFAULT_SETTINGS } from '../../engine/settings.js';
import { validateSettings } from '../../engine/settingsMeta.js';
import { parseTokens, TokenIssuer } from '../../engine/tokens.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

const USAGE = `usage:
  token parse "<subject>" [--settings FILE]
  token issue --user N --counter C [--count K] [--settings FILE]`;

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

/** Load and validate a settings JSON file (partial, merged onto the defaults). */
export function loadSettingsFile(file: string | undefined): { ok: true; settings: Settings } | { ok: false; error: string } {
  if (file === undefined) return { ok: true, settings: DEFAULT_SETTINGS };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: `${file}: cannot read settings JSON: ${(e as Error).message}` };
  }
  const v = validateSettings(raw);
  return v.ok ? v : { ok: false, error: v.errors.map((e) => `${file}: ${e.message}`).join('\n') };
}

function int(flags: Map<string, string>, name: string, fallback?: number): number | string {
  const v = flags.get(name);
  if (v === undefined) return fallback ?? `--${name} is required`;
  return /^-?\d+$/.test(v) ? Number(v) : `--${name} must be an integer, got '${v}'`;
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(rest, ['settings', 'user', 'counter', 'count']);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${USAGE}`);
    return 2;
  }
  const loaded = loadSettingsFile(parsed.options.get('settings'));
  if (!loaded.ok) {
    io.err(loaded.error);
    return 2;
  }
  const settings = loaded.settings;
  if (sub === 'parse') {
    const subject = parsed.positionals[0];
    if (subject === undefined) {
      io.err(`token parse needs a subject\n${USAGE}`);
      return 2;
    }
    const tokens = parseTokens(subject, settings);
    if (tokens.length === 0) {
      io.out(`no tracking token found (prefixes: ${[settings.trackingprefix, ...settings.trackingprefixhistory].join(', ')}; position: ${settings.simTokenPosition})`);
      return 1;
    }
    for (const t of tokens) {
      const tag = t.currentDigits ? 'current digit settings' : `alternative split (${t.userDigits} user / ${t.counterDigits} counter digits)`;
      io.out(`${JSON.stringify(t.token)} at ${t.index}: prefix ${JSON.stringify(t.prefix)}${t.currentPrefix ? '' : ' (history)'} designator ${t.designator} user ${t.userNumber} counter ${t.counter} — ${tag}; key ${t.normalized}`);
    }
    return 0;
  }
  if (sub === 'issue') {
    const user = int(parsed.options, 'user');
    const counter = int(parsed.options, 'counter');
    const count = int(parsed.options, 'count', 1);
    for (const v of [user, counter, count]) {
      if (typeof v === 'string') {
        io.err(`${v}\n${USAGE}`);
        return 2;
      }
    }
    const issuer = new TokenIssuer(settings, counter as number);
    for (let i = 0; i < (count as number); i++) {
      const r = issuer.issue('cli', user as number);
      if (!r.ok) {
        io.err(r.error);
        return 2;
      }
      const marks = [r.issued.wrapped ? 'WRAPPED to 0' : '', r.issued.duplicate ? 'DUPLICATE of an earlier token' : ''].filter(Boolean).join(', ');
      io.out(`${r.issued.token}${marks ? `  <- ${marks}` : ''}`);
    }
    return 0;
  }
  io.err(USAGE);
  return 2;
}
