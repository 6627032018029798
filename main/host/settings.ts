// Host handlers of the Settings view: the workspace's profiles (saved ones plus the built-in Default),
// saving one (optionally as the baseline), and the tracking-token preview and parse of §3.1.
import { loadTracked, saveSettingsProfile } from '../../core/node/workspace/index.js';
import { parseTokens } from '../../core/engine/index.js';
import type { HandlerSlice, HostContext } from './context.js';
import { HostError } from './errors.js';
import { checkedSettings } from './profiles.js';
import { tokenPreview } from './views.js';

export type SettingsMethod = 'settings.profiles' | 'settings.save' | 'tokens.preview' | 'tokens.parse';

export function createSettingsHandlers(ctx: HostContext): HandlerSlice<SettingsMethod> {
  return {
    'settings.profiles': () => ctx.profiles(),

    'settings.save': ({ name, settings, baseline }) => {
      const w = ctx.requireWs();
      const merged = checkedSettings(settings);
      saveSettingsProfile(w, name, merged);
      if (baseline) ctx.prefs.setBaseline(w.file, name);
      const saved = ctx.profiles().find((p) => p.name === name);
      if (!saved) throw new HostError('INTERNAL', `Profile ${name} was saved but could not be read back.`);
      return saved;
    },

    'tokens.preview': ({ settings, userNumber, startCounter, count }) => {
      const merged = checkedSettings(settings);
      // Without a workspace there are no tracked emails to collide with.
      const w = ctx.current();
      const tracked = w ? loadTracked(w).map((t) => ({ id: t.id, subject: t.subject })) : [];
      try {
        return tokenPreview(merged, userNumber, startCounter, count, tracked);
      } catch (err) {
        throw new HostError('SETTINGS_INVALID', `Cannot preview tokens: ${(err as Error).message}.`);
      }
    },

    'tokens.parse': ({ subject, settings }) =>
      parseTokens(subject, checkedSettings(settings)).map((t) => ({ token: t.token, prefix: t.prefix, designator: t.designator, userNumber: t.userNumber, counter: t.counter })),
  };
}
