// The path allow-list: the renderer may only name files inside folders the user chose (open dialog,
// drag and drop, command line) or the workspace/sample folders. Paths are resolved through realpath
// so a symlink or `..` cannot step outside a root; a path that does not exist yet (a new workspace)
// is judged by its nearest existing parent.
import fs from 'node:fs';
import path from 'node:path';

function realpathOrParent(p: string): string {
  const abs = path.resolve(p);
  let probe = abs;
  const rest: string[] = [];
  while (true) {
    try {
      return path.join(fs.realpathSync.native(probe), ...rest.reverse());
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) return abs;
      rest.push(path.basename(probe));
      probe = parent;
    }
  }
}

/** True when `child` is `root` itself or lies below it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class PathAllowList {
  private readonly roots = new Set<string>();

  constructor(roots: readonly string[] = []) {
    this.allow(roots);
  }

  /** Adds roots the user chose. A chosen file allows exactly that file (and, for mbox folders, below it). */
  allow(roots: readonly string[]): void {
    for (const r of roots) if (r) this.roots.add(realpathOrParent(r));
  }

  list(): string[] {
    return [...this.roots];
  }

  /** The resolved path when allowed, else null. */
  check(p: string): string | null {
    if (!path.isAbsolute(p)) return null;
    const resolved = realpathOrParent(p);
    for (const root of this.roots) if (isInside(root, resolved)) return resolved;
    return null;
  }
}
