// Token-cache storage for the app: MSAL's serialized cache, encrypted by a cipher the caller supplies (the
// Electron main process passes safeStorage.encryptString/decryptString, i.e. the OS keychain / DPAPI /
// libsecret key) and written to a file in the app's own data folder, never next to a workspace. core stays
// free of electron: only the two functions cross the boundary. Without a cipher (safeStorage unavailable),
// nothing is written: the cache lives in memory for the session and the user signs in again next time.

import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './auth.js';

export interface Cipher {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Keeps the cache in memory only (CLI default, or when the OS offers no encryption). */
export function memorySecretStore(): SecretStore {
  let value: string | null = null;
  return { read: () => Promise.resolve(value), write: (s) => { value = s; return Promise.resolve(); } };
}

/**
 * An encrypted file store. A cache that cannot be decrypted (another user, a reset keychain) is treated as
 * empty, so the user simply signs in again; the file is written with mode 0600 via a temporary file and rename.
 */
export function encryptedFileSecretStore(file: string, cipher: Cipher | null): SecretStore {
  if (!cipher) return memorySecretStore();
  return {
    read: async () => {
      try {
        return cipher.decryptString(await fs.promises.readFile(file));
      } catch {
        return null;
      }
    },
    write: async (s) => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, cipher.encryptString(s), { mode: 0o600 });
      await fs.promises.rename(tmp, file);
    },
  };
}
