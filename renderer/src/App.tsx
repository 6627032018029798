import { useEffect } from 'react';
import { Banners } from './components/Banners.js';
import { useAppStore, type ViewName } from './store/index.js';
import { ChainView } from './views/chain/ChainView.js';
import { HashView } from './views/hash/HashView.js';
import { MessageView } from './views/message/MessageView.js';
import { MessagesView } from './views/messages/MessagesView.js';
import { SettingsView } from './views/settings/SettingsView.js';
import { ReplayButton, StartView } from './views/start/StartView.js';
import { TokenLabView } from './views/tokens/TokenLabView.js';
import { TrainingView } from './views/training/TrainingView.js';
import { SweepView } from './views/sweep/SweepView.js';
import { AuditView } from './views/audit/AuditView.js';
import { SupportView } from './views/support/SupportView.js';
import { MailboxesView } from './views/mailboxes/MailboxesView.js';
import { ConnectView } from './views/connect/ConnectView.js';

/** Views in tab order; the key is the shortcut (Alt+key anywhere, or the key alone outside a text field). */
export const VIEWS: { name: ViewName; label: string; key: string }[] = [
  { name: 'start', label: 'Start', key: '1' },
  { name: 'messages', label: 'Messages', key: '2' },
  { name: 'message', label: 'Message', key: '3' },
  { name: 'chain', label: 'Chain', key: '4' },
  { name: 'hash', label: 'Hash match', key: '5' },
  { name: 'tokens', label: 'Token lab', key: '6' },
  { name: 'settings', label: 'Settings', key: '7' },
  { name: 'training', label: 'Training', key: '8' },
  { name: 'sweep', label: 'Tuning', key: '9' },
  { name: 'audit', label: 'Audit', key: '0' },
  { name: 'support', label: 'Support', key: 's' },
  { name: 'mailboxes', label: 'Mailboxes', key: 'm' },
  { name: 'connect', label: 'Connect', key: 'c' },
];

/** Input types where a digit is not text: a bare digit there still switches views. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

function CurrentView({ view }: { view: ViewName }) {
  switch (view) {
    case 'start': return <StartView />;
    case 'messages': return <MessagesView />;
    case 'message': return <MessageView />;
    case 'chain': return <ChainView />;
    case 'hash': return <HashView />;
    case 'tokens': return <TokenLabView />;
    case 'settings': return <SettingsView />;
    case 'training': return <TrainingView />;
    case 'sweep': return <SweepView />;
    case 'audit': return <AuditView />;
    case 'support': return <SupportView />;
    case 'mailboxes': return <MailboxesView />;
    case 'connect': return <ConnectView />;
  }
}

export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const theme = useAppStore((s) => s.theme);
  const toggleTheme = useAppStore((s) => s.toggleTheme);
  const workspace = useAppStore((s) => s.workspace);
  const runs = useAppStore((s) => s.runs);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey) return;
      if (!e.altKey && isTyping(e.target)) return;
      const target = VIEWS.find((v) => v.key === e.key || (e.altKey && e.code === (/\d/.test(v.key) ? `Digit${v.key}` : `Key${v.key.toUpperCase()}`)));
      if (target) {
        e.preventDefault();
        setView(target.name);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  // Move focus into the new view so keyboard users land where they asked to go.
  useEffect(() => {
    const main = document.getElementById('main');
    // A view that placed focus itself (a "Decided by" link focusing its setting) keeps it: child
    // effects run before this one.
    if (main && document.activeElement && document.activeElement !== document.body && main.contains(document.activeElement)) return;
    const focusable = main?.querySelector<HTMLElement>('[data-autofocus], .vtable-body, h1');
    if (focusable && !focusable.hasAttribute('tabindex')) focusable.setAttribute('tabindex', '-1');
    focusable?.focus({ preventScroll: true });
  }, [view]);

  // runs.list answers oldest first.
  const latest = runs[runs.length - 1];
  return (
    <div className="app">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">SyncLens</span>
        <nav aria-label="Views" className="tabs" role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v.name}
              type="button"
              role="tab"
              aria-selected={view === v.name}
              className={view === v.name ? 'tab current' : 'tab'}
              onClick={() => setView(v.name)}
              title={`${v.label} (${v.key} or Alt+${v.key})`}
              data-testid={`tab-${v.name}`}
            >
              <span className="kbd">{v.key}</span> {v.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {workspace && (
          <span className="ws muted small" title={workspace.path} data-testid="topbar-workspace">
            {workspace.name} · {workspace.messageCount} msgs{latest ? ` · run #${latest.runId}` : ''}
          </span>
        )}
        {workspace && <ReplayButton />}
        <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} data-testid="theme-toggle">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <Banners />
      <main id="main" className="main">
        <CurrentView view={view} />
      </main>
    </div>
  );
}
