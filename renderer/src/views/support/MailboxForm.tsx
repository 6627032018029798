import { useId } from 'react';
import type { SupportConfig } from '../../../../core/contract/contract.js';

type Mailbox = SupportConfig['mailboxes'][number];
type Host = Mailbox['host'];
type Profile = NonNullable<Mailbox['incoming']>;
type ProfileType = Profile['type'];
type Auth = NonNullable<Profile['auth']>;
type ItemKind = Mailbox['items'][number];

/** One mailbox as the form edits it (flat fields; turned into the check's MailboxUnderCheck on submit). */
export interface MailboxDraft {
  key: number;
  id: string;
  hostKind: Host['kind'];
  tenant: 'same' | 'other';
  exchangeVersion: '2003' | '2007' | '2010' | '2013' | '2016' | '2019';
  servicePack: string;
  popHost: 'gmail' | 'yahoo' | 'outlook.com' | 'msn' | 'windows-live' | 'other';
  incoming: ProfileType | 'none';
  outgoing: ProfileType | 'none';
  auth: Auth;
  items: ItemKind[];
  smime: boolean;
  alias: boolean;
  manualTracking: boolean;
}

const PROFILE_TYPES: { value: ProfileType | 'none'; label: string }[] = [
  { value: 'exchange-online', label: 'Exchange Online' },
  { value: 'exchange-online-hybrid', label: 'Exchange Online (Hybrid)' },
  { value: 'exchange-server', label: 'Exchange Server' },
  { value: 'exchange-server-hybrid', label: 'Exchange Server (Hybrid)' },
  { value: 'pop3-smtp', label: 'POP3/SMTP' },
  { value: 'imap-smtp', label: 'IMAP/SMTP' },
  { value: 'none', label: 'not synchronized' },
];

export function newMailbox(key: number, kind: 'exchange-online' | 'gmail'): MailboxDraft {
  const exo = kind === 'exchange-online';
  return {
    key, id: exo ? `user${key}@contoso.com` : `sales${key}@gmail.com`, hostKind: exo ? 'exchange-online' : 'pop3-imap', tenant: 'same', exchangeVersion: '2016', servicePack: '',
    popHost: 'gmail', incoming: exo ? 'exchange-online' : 'pop3-smtp', outgoing: exo ? 'exchange-online' : 'pop3-smtp', auth: exo ? 'server-to-server' : 'user-credentials',
    items: exo ? ['email', 'appointments-contacts-tasks'] : ['email'], smime: false, alias: false, manualTracking: false,
  };
}

export function toHost(m: MailboxDraft): Host {
  if (m.hostKind === 'exchange-online') return { kind: 'exchange-online', tenant: m.tenant };
  if (m.hostKind === 'exchange-server') return { kind: 'exchange-server', version: m.exchangeVersion, ...(/^\d+$/.test(m.servicePack) ? { servicePack: Number(m.servicePack) } : {}) };
  return { kind: 'pop3-imap', host: m.popHost };
}

export function toProfile(m: MailboxDraft, direction: 'incoming' | 'outgoing'): Profile | null {
  const type = m[direction];
  return type === 'none' ? null : { id: `${m.id || 'mailbox'}-${direction}`, type, auth: m.auth };
}

/** One mailbox's fieldset: where it lives, its incoming/outgoing profiles, what it synchronizes. */
export function MailboxForm({ mailbox: m, onChange, onRemove }: { mailbox: MailboxDraft; onChange: (m: MailboxDraft) => void; onRemove: (() => void) | null }) {
  const id = useId();
  const set = <K extends keyof MailboxDraft>(k: K, v: MailboxDraft[K]) => onChange({ ...m, [k]: v });
  const toggleItem = (kind: ItemKind, on: boolean) => {
    const items = on ? [...new Set([...m.items, kind])] : m.items.filter((x) => x !== kind);
    set('items', items.length ? items : ['email']);
  };
  return (
    <fieldset className="panel mailbox-form" data-testid="support-mailbox-form">
      <legend>Mailbox {m.id}</legend>
      <div className="row">
        <label htmlFor={`${id}-id`}>Address
          <input id={`${id}-id`} value={m.id} onChange={(e) => set('id', e.target.value)} data-testid="mailbox-id" />
        </label>
        <label htmlFor={`${id}-host`}>Mailbox lives on
          <select id={`${id}-host`} value={m.hostKind} onChange={(e) => set('hostKind', e.target.value as Host['kind'])} data-testid="mailbox-host">
            <option value="exchange-online">Exchange Online</option>
            <option value="exchange-server">Exchange Server</option>
            <option value="pop3-imap">POP3/IMAP provider</option>
          </select>
        </label>
        {m.hostKind === 'exchange-online' && (
          <label htmlFor={`${id}-tenant`}>Tenant
            <select id={`${id}-tenant`} value={m.tenant} onChange={(e) => set('tenant', e.target.value as 'same' | 'other')} data-testid="mailbox-tenant">
              <option value="same">same as Dynamics</option>
              <option value="other">another tenant</option>
            </select>
          </label>
        )}
        {m.hostKind === 'exchange-server' && (
          <>
            <label htmlFor={`${id}-ver`}>Version
              <select id={`${id}-ver`} value={m.exchangeVersion} onChange={(e) => set('exchangeVersion', e.target.value as MailboxDraft['exchangeVersion'])} data-testid="mailbox-exchange-version">
                {['2003', '2007', '2010', '2013', '2016', '2019'].map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            </label>
            <label htmlFor={`${id}-sp`}>SP
              <input id={`${id}-sp`} value={m.servicePack} size={3} onChange={(e) => set('servicePack', e.target.value)} />
            </label>
          </>
        )}
        {m.hostKind === 'pop3-imap' && (
          <label htmlFor={`${id}-pop`}>Provider
            <select id={`${id}-pop`} value={m.popHost} onChange={(e) => set('popHost', e.target.value as MailboxDraft['popHost'])} data-testid="mailbox-pop-host">
              {['gmail', 'yahoo', 'outlook.com', 'msn', 'windows-live', 'other'].map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </label>
        )}
      </div>
      <div className="row">
        <label htmlFor={`${id}-in`}>Incoming profile
          <select id={`${id}-in`} value={m.incoming} onChange={(e) => set('incoming', e.target.value as MailboxDraft['incoming'])} data-testid="mailbox-incoming">
            {PROFILE_TYPES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-out`}>Outgoing profile
          <select id={`${id}-out`} value={m.outgoing} onChange={(e) => set('outgoing', e.target.value as MailboxDraft['outgoing'])} data-testid="mailbox-outgoing">
            {PROFILE_TYPES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-auth`}>Authentication
          <select id={`${id}-auth`} value={m.auth} onChange={(e) => set('auth', e.target.value as Auth)}>
            {['server-to-server', 'oauth', 'user-credentials', 'profile-credentials', 'impersonation', 'other'].map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
      </div>
      <div className="checks">
        <label className="inline-check"><input type="checkbox" checked={m.items.includes('email')} onChange={(e) => toggleItem('email', e.target.checked)} /> Email</label>
        <label className="inline-check"><input type="checkbox" checked={m.items.includes('appointments-contacts-tasks')} onChange={(e) => toggleItem('appointments-contacts-tasks', e.target.checked)} data-testid="mailbox-act" /> Appointments, contacts and tasks</label>
        <label className="inline-check"><input type="checkbox" checked={m.smime} onChange={(e) => set('smime', e.target.checked)} /> S/MIME or third-party encryption</label>
        <label className="inline-check"><input type="checkbox" checked={m.alias} onChange={(e) => set('alias', e.target.checked)} /> Alias or distribution list</label>
        <label className="inline-check"><input type="checkbox" checked={m.manualTracking} onChange={(e) => set('manualTracking', e.target.checked)} /> Manual tracking in Dynamics 365 for Outlook</label>
      </div>
      {onRemove && <button type="button" onClick={onRemove}>Remove mailbox</button>}
    </fieldset>
  );
}
