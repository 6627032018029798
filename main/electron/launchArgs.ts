// Command-line arguments of the Electron app: `--workspace FILE`, `--sample`, `--native-binding FILE`
// (set by main/build/start.mjs), and any other non-flag arguments are paths to import (like a drop).
export interface LaunchArgs {
  workspace: string | null;
  sample: boolean;
  nativeBinding: string | null;
  paths: string[];
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { workspace: null, sample: false, nativeBinding: null, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = argv[i + 1];
    if (a === '--workspace' && next) {
      out.workspace = next;
      i++;
    } else if (a === '--native-binding' && next) {
      out.nativeBinding = next;
      i++;
    } else if (a === '--sample') out.sample = true;
    else if (a.startsWith('-') || a === '.' || a.endsWith('main.cjs')) continue; // Chromium/Electron switches, the app path
    else out.paths.push(a);
  }
  return out;
}
