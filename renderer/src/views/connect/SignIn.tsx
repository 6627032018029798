import { useEffect, useState } from 'react';
import { isSignInUrl, SIGN_IN_DEFAULTS } from '../../../../core/contract/contract.js';
import { onEvent } from '../../api.js';
import { hasNativeDialogs } from '../../bridge.js';

export interface SignIn {
  tenant?: string;
  clientId?: string;
}

/** Tenant and client id, folded away: the defaults work for most organisations (see core/node/connectors/auth.ts). */
export function SignInFields({ idPrefix, value, defaultClient, onChange, testId }: {
  idPrefix: string;
  value: { tenant: string; clientId: string };
  defaultClient: string;
  onChange: (v: { tenant?: string; clientId?: string }) => void;
  testId: string;
}) {
  return (
    <details className="small" data-testid={`${testId}-signin`}>
      <summary>Sign-in options (tenant, application)</summary>
      <label htmlFor={`${idPrefix}-tenant`}>Tenant (id or domain; default &ldquo;{SIGN_IN_DEFAULTS.tenant}&rdquo;: any work or school account)
        <input id={`${idPrefix}-tenant`} value={value.tenant} onChange={(e) => onChange({ tenant: e.target.value })} placeholder={SIGN_IN_DEFAULTS.tenant} data-testid={`${testId}-tenant`} />
      </label>
      <label htmlFor={`${idPrefix}-client`}>Application (client) id, for an organisation that registered its own public client (redirect http://localhost)
        <input id={`${idPrefix}-client`} value={value.clientId} onChange={(e) => onChange({ clientId: e.target.value })} placeholder={defaultClient} data-testid={`${testId}-client`} />
      </label>
    </details>
  );
}

/**
 * While a pull waits for sign-in: the desktop app has opened Microsoft's page in the system browser; browser
 * mode cannot open one itself, so the page's address is shown as a link (only login.microsoftonline.com).
 */
export function SignInNotice({ jobId }: { jobId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => onEvent('auth.open', (e) => {
    if (e.jobId === jobId && isSignInUrl(e.url)) setUrl(e.url);
  }), [jobId]);
  if (!url) return null;
  return (
    <p className="banner" role="status" data-testid="signin-notice">
      {hasNativeDialogs()
        ? 'Your browser opened Microsoft\u2019s sign-in page: sign in there, then come back here.'
        : <>Sign in with Microsoft to continue: <a href={url} target="_blank" rel="noopener noreferrer" data-testid="signin-link">open the sign-in page</a> (it returns here by itself).</>}
    </p>
  );
}
