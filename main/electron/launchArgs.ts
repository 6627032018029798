// Command-line arguments of the Electron app: `--workspace FILE`, `--sample`, `--native-binding FILE`
// (set by main/build/start.mjs), and any other non-flag arguments are paths to import (like a drop).
export interface LaunchArgs {
  workspace: string | null;
  sample: boolean;
  nativeBinding: string | null;
  paths: string[];
  /** Arguments refused, each with the reason (printed at start-up). */
  refused: string[];
}

export interface LaunchContext {
  /**
   * `app.isPackaged`. A packaged build loads only the native module it ships: `--native-binding` would load
   * any native code past the Electron fuses (issue 12 item 14), so it is honoured in development only.
   * Defaults to true, so a caller that forgets to say gets the safe reading.
   */
  packaged: boolean;
}

export function parseLaunchArgs(argv: readonly string[], ctx: LaunchContext = { packaged: true }): LaunchArgs {
  const out: LaunchArgs = { workspace: null, sample: false, nativeBinding: null, paths: [], refused: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = argv[i + 1];
    if (a === '--workspace' && next) {
      out.workspace = next;
      i++;
    } else if ((a === '--native-binding' && next) || a.startsWith('--native-binding=')) {
      const value = a.startsWith('--native-binding=') ? a.slice('--native-binding='.length) : (next as string);
      if (ctx.packaged) out.refused.push(`--native-binding ${value} ignored: an installed SyncLens loads only the native module it ships with.`);
      else out.nativeBinding = value;
      if (a === '--native-binding') i++; // the value is consumed either way: it is not a path to import
    } else if (a === '--sample') out.sample = true;
    else if (a.startsWith('-') || a === '.' || a.endsWith('main.cjs')) continue; // Chromium/Electron switches, the app path
    else out.paths.push(a);
  }
  return out;
}
