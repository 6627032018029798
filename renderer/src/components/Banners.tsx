import type { ErrorCode } from '../../../core/contract/contract.js';
import { useAppStore } from '../store/index.js';

/** A heading a person reads; the code itself stays in the data for support and tests. */
const TITLES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Not accepted',
  UNKNOWN_METHOD: 'Not available',
  NO_WORKSPACE: 'No workspace open',
  WORKSPACE_ERROR: 'Workspace problem',
  NOT_FOUND: 'Not found',
  IMPORT_ERROR: 'Import problem',
  CANCELLED: 'Cancelled',
  SETTINGS_INVALID: 'Settings need a fix',
  PATH_NOT_ALLOWED: 'Folder not allowed',
  FILE_EXISTS: 'The file already exists',
  INTERNAL: 'Something went wrong',
};

/** Errors from envelopes, shown with the engine's own actionable message. */
export function Banners() {
  const banners = useAppStore((s) => s.banners);
  const dismiss = useAppStore((s) => s.dismissBanner);
  if (banners.length === 0) return null;
  return (
    <div className="banners" role="alert" data-testid="banners">
      {banners.map((b) => (
        <div key={b.id} className="banner banner-error" data-testid="error-banner" data-code={b.code}>
          <strong>{TITLES[b.code as ErrorCode] ?? 'Problem'}:</strong> <span>{b.message}</span>
          {b.details.length > 0 && (
            <ul>
              {b.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
          <button type="button" className="link" onClick={() => dismiss(b.id)} aria-label="Dismiss error">
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
