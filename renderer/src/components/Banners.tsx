import { useAppStore } from '../store/index.js';

/** Errors from envelopes, shown with the engine's own actionable message. */
export function Banners() {
  const banners = useAppStore((s) => s.banners);
  const dismiss = useAppStore((s) => s.dismissBanner);
  if (banners.length === 0) return null;
  return (
    <div className="banners" role="alert" data-testid="banners">
      {banners.map((b) => (
        <div key={b.id} className="banner banner-error" data-testid="error-banner">
          <strong>{b.code}</strong> <span>{b.message}</span>
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
