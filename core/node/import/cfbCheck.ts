// Structural check of an Outlook .msg (a Compound File Binary, MS-CFB) before msgreader reads it. msgreader
// follows sector chains and the directory tree as they are written: a chain that loops back on itself is
// followed forever (an array of sector numbers that grows until memory runs out), and a stream that says it
// is 2 GB long makes it allocate 2 GB for a 2.5 KB file (issue 12 item 1). This walks every structure once,
// in time and memory proportional to the file: every chain is followed with a record of the sectors seen,
// a sector may belong to one chain only, every sector number must lie inside the file, every stream size
// must fit the sectors of its chain, and the directory tree must be a tree. A file that fails is refused
// with the first problem found, in words.

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
const NOSTREAM = 0xffffffff;
const DIR_ENTRY = 128;
const MINI_SECTOR = 64;
/** MS-CFB 2.2: streams shorter than this live in the mini stream (msgreader uses the same constant). */
const MINI_CUTOFF = 4096;
/** msgreader reads this header byte to choose between 4096-byte (version 4) and 512-byte sectors. */
const BIG_SECTOR_MARK = 0x0c;

export class CfbError extends Error {
  override readonly name = 'CfbError';
}

function fail(msg: string): never {
  throw new CfbError(msg);
}

/** Which sectors (or mini sectors) belong to a chain already: each may be used once. */
class Owner {
  private readonly owner: Uint8Array;
  constructor(readonly count: number, private readonly what: string) {
    this.owner = new Uint8Array(count);
  }
  take(n: number, chain: string): void {
    if (n >= this.count) fail(`${chain} points to ${this.what} ${n}, past the end of the file (${this.count} ${this.what}s)`);
    if (this.owner[n]) fail(`${chain} uses ${this.what} ${n} that another chain or itself already uses (a loop or a shared ${this.what})`);
    this.owner[n] = 1;
  }
}

export interface CfbSummary {
  sectorSize: number;
  sectors: number;
  directoryEntries: number;
  streams: number;
}

/**
 * Checks the structure of a compound file; throws CfbError naming the problem. Runs in O(file size) time and
 * memory whatever the file says.
 */
export function checkCfb(bytes: Uint8Array): CfbSummary {
  if (bytes.length < 512) fail(`file of ${bytes.length} bytes is shorter than the 512-byte compound-file header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (off: number): number => dv.getUint32(off, true);
  const sectorSize = bytes[30] === BIG_SECTOR_MARK ? 4096 : 512;
  if (bytes.length < sectorSize) fail(`file of ${bytes.length} bytes is shorter than one ${sectorSize}-byte sector`);
  const sectors = Math.ceil((bytes.length - sectorSize) / sectorSize);
  const perSector = sectorSize / 4;
  const owner = new Owner(sectors, 'sector');
  const sectorOffset = (n: number): number => (n + 1) * sectorSize;
  /** The 32-bit value `i` of sector `n` (a sector may be cut at the end of the file: missing bytes are an error). */
  const entryOf = (n: number, i: number): number => {
    const off = sectorOffset(n) + 4 * i;
    if (off + 4 > bytes.length) fail(`sector ${n} is cut off by the end of the file`);
    return u32(off);
  };

  // FAT sectors: 109 in the header, the rest in the DIFAT chain.
  const fatCount = u32(0x2c);
  if (fatCount > sectors) fail(`header says ${fatCount} FAT sectors, more than the ${sectors} sectors in the file`);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(u32(0x4c + 4 * i));
  let difat = u32(0x44);
  const difatCount = u32(0x48);
  if (difatCount > sectors) fail(`header says ${difatCount} DIFAT sectors, more than the ${sectors} sectors in the file`);
  for (let k = 0; k < difatCount && fatSectors.length < fatCount && difat !== ENDOFCHAIN && difat !== FREESECT; k++) {
    owner.take(difat, 'the DIFAT chain');
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++) fatSectors.push(entryOf(difat, i));
    difat = entryOf(difat, perSector - 1);
  }
  for (const s of fatSectors) owner.take(s, 'the FAT');
  const fatLength = fatSectors.length * perSector;
  const next = (n: number): number => {
    const fatIndex = Math.floor(n / perSector);
    const fs = fatSectors[fatIndex];
    if (fs === undefined) fail(`sector ${n} has no FAT entry`);
    return entryOf(fs, n % perSector);
  };

  /** Follows a chain of the FAT from `start`, taking each sector; returns the sectors in order. */
  const chain = (start: number, name: string, maxSectors = sectors): number[] => {
    const out: number[] = [];
    let n = start;
    while (n !== ENDOFCHAIN) {
      if (n === FREESECT || n === FATSECT || n === DIFSECT) fail(`${name} runs into a sector marked ${n === FREESECT ? 'free' : 'FAT/DIFAT'}`);
      if (n >= fatLength) fail(`${name} points to sector ${n}, past the end of the file (${sectors} sectors)`);
      owner.take(n, name);
      out.push(n);
      if (out.length > maxSectors) fail(`${name} is longer than its stream`);
      n = next(n);
    }
    return out;
  };

  // Directory.
  const dirSectors = chain(u32(0x30), 'the directory chain');
  if (dirSectors.length === 0) fail('the file has no directory');
  const perDirSector = sectorSize / DIR_ENTRY;
  const entryCount = dirSectors.length * perDirSector;
  const entryOffset = (id: number): number => sectorOffset(dirSectors[Math.floor(id / perDirSector)] as number) + (id % perDirSector) * DIR_ENTRY;
  interface Entry { type: number; left: number; right: number; child: number; start: number; size: number }
  const entries: Entry[] = [];
  for (let id = 0; id < entryCount; id++) {
    const off = entryOffset(id);
    if (off + DIR_ENTRY > bytes.length) break;
    const sizeLow = u32(off + 0x78);
    const sizeHigh = sectorSize === 512 ? 0 : u32(off + 0x7c); // version 3 ignores the high half (MS-CFB 2.6.3)
    entries.push({ type: bytes[off + 0x42] as number, left: u32(off + 0x44), right: u32(off + 0x48), child: u32(off + 0x4c),
      start: u32(off + 0x74), size: sizeHigh * 2 ** 32 + sizeLow });
  }
  const root = entries[0];
  if (!root || root.type !== 5) fail('the first directory entry is not the root entry');

  // The tree: every storage's children form a binary tree of siblings; each entry belongs to one tree once.
  const seen = new Uint8Array(entries.length);
  seen[0] = 1;
  const storages: number[] = [0];
  for (let s = 0; s < storages.length; s++) {
    const stack: number[] = [];
    const first = (entries[storages[s] as number] as Entry).child;
    if (first !== NOSTREAM) stack.push(first);
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (id >= entries.length) fail(`the directory tree points to entry ${id}, past the last entry (${entries.length})`);
      if (seen[id]) fail(`the directory tree reaches entry ${id} twice (a loop)`);
      seen[id] = 1;
      const e = entries[id] as Entry;
      if (e.type !== 1 && e.type !== 2) fail(`the directory tree reaches entry ${id} of type ${e.type}, not a storage or a stream`);
      if (e.type === 1) storages.push(id);
      if (e.left !== NOSTREAM) stack.push(e.left);
      if (e.right !== NOSTREAM) stack.push(e.right);
    }
  }

  // The mini stream (the root entry's stream) and the mini FAT.
  if (root.size > bytes.length) fail(`the mini stream says it is ${root.size} bytes long, longer than the file (${bytes.length} bytes)`);
  const miniStream = root.size > 0 ? chain(root.start, 'the mini stream') : [];
  if (miniStream.length * sectorSize < root.size) fail(`the mini stream's chain is shorter than its ${root.size} bytes`);
  const miniFatSectors = chain(u32(0x3c) === FREESECT ? ENDOFCHAIN : u32(0x3c), 'the mini FAT', Math.max(u32(0x40), 0));
  const miniCount = Math.floor((miniStream.length * sectorSize) / MINI_SECTOR);
  const miniOwner = new Owner(miniCount, 'mini sector');
  const miniNext = (n: number): number => {
    const fs = miniFatSectors[Math.floor(n / perSector)];
    if (fs === undefined) fail(`mini sector ${n} has no mini FAT entry`);
    return entryOf(fs, n % perSector);
  };

  let streams = 0;
  for (let id = 1; id < entries.length; id++) {
    const e = entries[id] as Entry;
    if (e.type !== 2 || !seen[id]) continue;
    streams++;
    const name = `stream ${id}`;
    if (e.size > bytes.length) fail(`${name} says it is ${e.size} bytes long, longer than the file (${bytes.length} bytes)`);
    if (e.size === 0) continue;
    if (e.size < MINI_CUTOFF) {
      // Followed to its end, as msgreader does: a loop anywhere in it would be followed forever.
      const need = Math.ceil(e.size / MINI_SECTOR);
      let n = e.start;
      let k = 0;
      while (n !== ENDOFCHAIN) {
        miniOwner.take(n, `${name}'s mini chain`);
        if (++k > need) fail(`${name}'s mini chain is longer than the ${need} mini sectors its ${e.size} bytes need`);
        n = miniNext(n);
      }
      if (k < need) fail(`${name}'s mini chain ends after ${k} of the ${need} mini sectors its ${e.size} bytes need`);
    } else {
      const got = chain(e.start, name, Math.ceil(e.size / sectorSize));
      if (got.length * sectorSize < e.size) fail(`${name}'s chain has ${got.length} sectors, too few for its ${e.size} bytes`);
    }
  }
  return { sectorSize, sectors, directoryEntries: entries.length, streams };
}
