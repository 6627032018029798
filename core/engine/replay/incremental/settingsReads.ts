// Which settings a decision read. The replay decides each message through a view of the settings whose
// getters record every key read into a bit set; a later replay over the same messages reuses the
// decision of any message that read none of the settings that changed (see replay.ts). Recording reads
// rather than listing dependencies by hand means a new `s.x` in any stage is covered automatically.

import { DEFAULT_SETTINGS, type Settings } from '../../model/settings.js';

/** Every settings key, in a fixed order: bit i of a mask stands for SETTING_KEYS[i]. */
export const SETTING_KEYS: readonly (keyof Settings)[] = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
/** 32-bit words per mask. */
export const MASK_WORDS = Math.ceil(SETTING_KEYS.length / 32);

const INDEX = new Map<string, number>(SETTING_KEYS.map((k, i) => [k, i]));
const VIEW = Symbol('settingsReads');

/** The mask of the given keys. */
export function maskOf(keys: readonly (keyof Settings)[]): Uint32Array {
  const m = new Uint32Array(MASK_WORDS);
  for (const k of keys) {
    const i = INDEX.get(k);
    if (i !== undefined) m[i >>> 5] = (m[i >>> 5] as number) | (1 << (i & 31));
  }
  return m;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

/** The mask of the keys whose values differ between two settings objects. */
export function changedMask(a: Settings, b: Settings): Uint32Array {
  return maskOf(SETTING_KEYS.filter((k) => !sameValue(a[k], b[k])));
}

export function isEmptyMask(m: Uint32Array): boolean {
  return m.every((w) => w === 0);
}

/** Records the settings keys read through `view` since the last reset(). */
export class SettingsReads {
  readonly bits = new Uint32Array(MASK_WORDS);
  /** Reads like the settings; every property read sets its key's bit. */
  readonly view: Settings;

  constructor(readonly raw: Settings) {
    // A plain object, not Object.create(null): V8 keeps a null-prototype object in dictionary mode, which
    // made every settings read of a replay a hash lookup. Own accessors shadow anything inherited.
    const view = {} as Record<string | symbol, unknown>;
    const bits = this.bits;
    SETTING_KEYS.forEach((key, i) => {
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => {
          bits[w] = (bits[w] as number) | bit;
          return raw[key];
        },
      });
    });
    // Keys a caller added beyond the known ones stay readable (they cannot change a decision).
    // defineProperty, not assignment: a key such as "__proto__" (JSON.parse makes it an own key) must
    // stay a plain property.
    for (const key of Object.keys(raw)) {
      if (!INDEX.has(key)) Object.defineProperty(view, key, { value: (raw as unknown as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(view, VIEW, { value: this, enumerable: true, writable: true, configurable: true });
    this.view = view as unknown as Settings;
  }

  reset(): void {
    this.bits.fill(0);
  }

  /**
   * Starts recording a computation's reads on their own, for a result the replay memoizes: returns the
   * bits recorded so far, to pass to end().
   */
  begin(): Uint32Array {
    const saved = this.bits.slice();
    this.bits.fill(0);
    return saved;
  }

  /** Ends what begin() started: returns the keys read since, and puts back the bits recorded before. */
  end(saved: Uint32Array): Uint32Array {
    const read = this.bits.slice();
    this.mark(saved);
    return read;
  }

  /** Marks a group of keys as read (for derived data computed once from the raw settings and cached). */
  mark(mask: Uint32Array): void {
    for (let w = 0; w < MASK_WORDS; w++) this.bits[w] = (this.bits[w] as number) | (mask[w] as number);
  }
}

/** The recorder behind a view, or undefined for plain settings. */
export function readsOf(s: Settings): SettingsReads | undefined {
  return (s as unknown as Record<symbol, SettingsReads | undefined>)[VIEW];
}
