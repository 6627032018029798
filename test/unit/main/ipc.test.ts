// The IPC entry point: sender check first, then the closed method list and schema validation, and
// only then main's own handler or the engine host. Nothing refused may reach the host.
import { describe, expect, it, vi } from 'vitest';
import { handleInvoke, type InvokeDeps } from '../../../main/electron/ipc.js';
import { APP_ORIGIN } from '../../../main/electron/security.js';

const trusted = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null }, sender: { id: 1 } };

function deps(): InvokeDeps & { forward: ReturnType<typeof vi.fn> } {
  return {
    ourWebContentsIds: new Set([1]),
    local: { 'dialog.choose': async () => ({ paths: ['/chosen'] }) },
    forward: vi.fn(async () => ({ ok: true as const, value: 'from host' })),
  };
}

describe('handleInvoke', () => {
  it('forwards a valid call from our window to the host', async () => {
    const d = deps();
    const r = await handleInvoke(trusted, 'workspace.info', {}, d);
    expect(r).toEqual({ ok: true, value: 'from host' });
    expect(d.forward).toHaveBeenCalledWith('workspace.info', {});
  });

  it('answers native-dialog calls in main, not in the host', async () => {
    const d = deps();
    const r = await handleInvoke(trusted, 'dialog.choose', { purpose: 'import-files' }, d);
    expect(r).toEqual({ ok: true, value: { paths: ['/chosen'] } });
    expect(d.forward).not.toHaveBeenCalled();
  });

  it('refuses a foreign sender before looking at the method', async () => {
    const d = deps();
    const r = await handleInvoke({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 1 } }, 'workspace.info', {}, d);
    expect(r.ok).toBe(false);
    expect(d.forward).not.toHaveBeenCalled();
  });

  it('refuses unknown methods with UNKNOWN_METHOD', async () => {
    const d = deps();
    for (const name of ['fs.readFile', 'toString', '__proto__', '', null]) {
      const r = await handleInvoke(trusted, name, {}, d);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(d.forward).not.toHaveBeenCalled();
  });

  it('refuses invalid input with INVALID_INPUT and never forwards it', async () => {
    const d = deps();
    const cases: Array<[string, unknown]> = [
      ['workspace.open', { path: 42 }],
      ['workspace.open', { path: '/a', extra: 1 }],
      ['workspace.open', { path: 'x'.repeat(5000) }],
      ['workspace.open', { path: '/a\0b' }],
      ['messages.list', { offset: -1, limit: 10 }],
      ['import.start', { paths: [], mailbox: 'a@b.c' }],
      ['dialog.choose', { purpose: 'delete-everything' }],
      ['workspace.info', null],
    ];
    for (const [m, input] of cases) {
      const r = await handleInvoke(trusted, m, input, d);
      expect(r, `${m} ${JSON.stringify(input)?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(d.forward).not.toHaveBeenCalled();
  });
});

describe('HostClient', () => {
  it('answers calls with an actionable error when the host process is gone, instead of hanging', async () => {
    const { HostClient } = await import('../../../main/host/protocol.js');
    const closed = new HostClient(() => {
      throw new Error('channel closed');
    });
    await expect(closed.invoke('workspace.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/restart SyncLens/) } });
    const sent: unknown[] = [];
    const alive = new HostClient((m) => sent.push(m));
    const pending = alive.invoke('workspace.info', {});
    alive.failAll('exit code 1');
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('exit code 1') } });
  });

  it('matches results to calls by id, whatever order they come back in', async () => {
    const { HostClient } = await import('../../../main/host/protocol.js');
    const sent: Array<{ id: number }> = [];
    const c = new HostClient((m) => sent.push(m as { id: number }));
    const a = c.invoke('workspace.info', {});
    const b = c.invoke('runs.list', {});
    c.receive({ type: 'result', id: sent[1]?.id, envelope: { ok: true, value: 'b' } });
    c.receive({ type: 'result', id: sent[0]?.id, envelope: { ok: true, value: 'a' } });
    await expect(a).resolves.toEqual({ ok: true, value: 'a' });
    await expect(b).resolves.toEqual({ ok: true, value: 'b' });
  });
});
