import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptedFileSecretStore, memorySecretStore, type Cipher } from '../../../core/node/connectors/secretStore.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-secret-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A stand-in for Electron's safeStorage: a reversible transform, so the test can see that what lands on disk
// is the cipher's output and not the cache text.
const xor: Cipher = {
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

describe('token cache stores', () => {
  it('writes only the encrypted form, reads it back, and treats an undecryptable file as empty', async () => {
    const file = path.join(tmp, 'auth', 'msal-cache.bin');
    const store = encryptedFileSecretStore(file, xor);
    expect(await store.read()).toBeNull();
    await store.write('{"AccessToken":{"secret":"access-1"}}');
    expect(fs.readFileSync(file).toString('utf8')).not.toContain('access-1');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.read()).toBe('{"AccessToken":{"secret":"access-1"}}');
    const broken = encryptedFileSecretStore(file, { ...xor, decryptString: () => { throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'); } });
    expect(await broken.read()).toBeNull();
  });

  it('without a cipher nothing is written', async () => {
    const file = path.join(tmp, 'none', 'msal-cache.bin');
    const store = encryptedFileSecretStore(file, null);
    await store.write('secret');
    expect(fs.existsSync(file)).toBe(false);
    expect(await store.read()).toBe('secret');
    const m = memorySecretStore();
    expect(await m.read()).toBeNull();
  });
});
