// `token parse "<subject>" [--settings FILE]` and `token issue --user N --counter C [--count K] [--settings FILE]`.
// Thin wrapper over core/engine/primitives/tokens.ts so a support engineer can check what a subject's token means.

import { readFileSync } from 'node:fs';
import { type Settings, DEFAULT_SETTINGS, validateSettings, parseTokens, TokenIssuer } from '../../engine/index.js';
import { EXIT, InputError, intOption, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage:
  token parse "<subject>" [--settings FILE]
  token issue --user N --counter C [--count K] [--settings FILE]`;


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

const OPTIONS = { settings: { type: 'string' }, user: { type: 'string' }, counter: { type: 'string' }, count: { type: 'string' } } as const;

export async function run(argv: string[], io: Out = std): Promise<number> {
  const settingsOf = (file: string | undefined): Settings => {
    const loaded = loadSettingsFile(file);
    if (!loaded.ok) throw new InputError(loaded.error);
    return loaded.settings;
  };
  return runSubcommand('token', USAGE, argv, io, {
    parse: (rest) => runCommand({ name: 'token parse', usage: USAGE, options: { settings: OPTIONS.settings } }, rest, io, ({ values, positionals }) => {
      const subject = positionals[0];
      if (subject === undefined || positionals.length > 1) throw new UsageError('give one subject (quote it)');
      const settings = settingsOf(values.settings);
      const tokens = parseTokens(subject, settings);
      if (tokens.length === 0) {
        io.out(`no tracking token found (prefixes: ${[settings.trackingprefix, ...settings.trackingprefixhistory].join(', ')}; position: ${settings.simTokenPosition})`);
        return EXIT.failure;
      }
      for (const t of tokens) {
        const tag = t.currentDigits ? 'current digit settings' : `alternative split (${t.userDigits} user / ${t.counterDigits} counter digits)`;
        io.out(`${JSON.stringify(t.token)} at ${t.index}: prefix ${JSON.stringify(t.prefix)}${t.currentPrefix ? '' : ' (history)'} designator ${t.designator} user ${t.userNumber} counter ${t.counter} — ${tag}; key ${t.normalized}`);
      }
      return EXIT.ok;
    }),
    issue: (rest) => runCommand({ name: 'token issue', usage: USAGE, options: OPTIONS }, rest, io, ({ values, positionals }) => {
      if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
      const user = intOption(values.user, 'user');
      const counter = intOption(values.counter, 'counter');
      const count = intOption(values.count, 'count', 1);
      const settings = settingsOf(values.settings);
      const issuer = new TokenIssuer(settings, counter);
      for (let i = 0; i < count; i++) {
        const r = issuer.issue('cli', user);
        if (!r.ok) throw new InputError(r.error);
        const marks = [r.issued.wrapped ? 'WRAPPED to 0' : '', r.issued.duplicate ? 'DUPLICATE of an earlier token' : ''].filter(Boolean).join(', ');
        io.out(`${r.issued.token}${marks ? `  <- ${marks}` : ''}`);
      }
      return EXIT.ok;
    }),
  });
}
