import { useId, useState } from 'react';
import type { ReportFormat, ReportKind } from '../../../core/contract/contract.js';
import { ApiError, call } from '../api.js';
import { hasNativeDialogs } from '../bridge.js';
import { attempt } from '../store/actions.js';
import { useAppStore } from '../store/index.js';

const EXT: Record<ReportFormat, string> = { html: 'html', json: 'json', csv: 'csv' };

/**
 * Writes the latest result of `kind` as the CLI's report (self-contained HTML, JSON or CSV) to a path
 * the user typed or chose in the native save dialog (Electron). The host checks the path against the
 * folders the user chose.
 */
export function ReportExport({ kind }: { kind: ReportKind }) {
  const workspace = useAppStore((s) => s.workspace);
  const id = useId();
  const folder = workspace ? workspace.path.replace(/[\\/][^\\/]*$/, '') : '';
  const [format, setFormat] = useState<ReportFormat>('html');
  const [target, setTarget] = useState(() => (folder ? `${folder}/synclens-${kind}.html` : ''));
  const [written, setWritten] = useState<string | null>(null);
  const [exists, setExists] = useState<string | null>(null);

  function changeFormat(f: ReportFormat) {
    setFormat(f);
    setTarget((t) => t.replace(/\.(html|json|csv)$/i, `.${EXT[f]}`));
  }

  async function choose() {
    const chosen = await attempt(() => call('dialog.choose', { purpose: 'save-report' }));
    const p = chosen?.paths[0];
    if (p) setTarget(p);
  }

  async function exportReport(overwrite = false) {
    setWritten(null);
    setExists(null);
    const r = await attempt(async () => {
      try {
        return await call('report.export', { kind, format, path: target, ...(overwrite ? { overwrite } : {}) });
      } catch (e) {
        // An existing file is a question for the user, not an error: ask before replacing it.
        if (e instanceof ApiError && e.code === 'FILE_EXISTS') {
          setExists(e.message);
          return undefined;
        }
        throw e;
      }
    });
    if (r) setWritten(`Wrote ${r.bytes.toLocaleString()} bytes to ${r.path}`);
  }

  return (
    <fieldset className="panel report-export" data-testid={`report-export-${kind}`}>
      <legend>Export report</legend>
      <p className="muted small">The same report as <code>npm run cli -- {kind} --{format}</code>: the HTML one is self-contained (inline charts, no external loads).</p>
      <div className="row">
        <label htmlFor={`${id}-format`}>Format
          <select id={`${id}-format`} value={format} onChange={(e) => changeFormat(e.target.value as ReportFormat)} data-testid="report-format">
            <option value="html">HTML</option>
            <option value="json">JSON</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <label htmlFor={`${id}-path`} className="grow">File
          <input id={`${id}-path`} value={target} onChange={(e) => { setTarget(e.target.value); setExists(null); }} placeholder="/full/path/report.html" data-testid="report-path" />
        </label>
        {hasNativeDialogs() && <button type="button" onClick={() => void choose()}>Choose…</button>}
        <button type="button" className="primary" disabled={target.trim() === ''} onClick={() => void exportReport()} data-testid="report-export">Export</button>
      </div>
      {exists && (
        <div className="row" role="alertdialog" aria-label="Replace the existing file?" data-testid="report-exists">
          <p className="small">{exists}</p>
          <button type="button" className="primary" onClick={() => void exportReport(true)} data-testid="report-overwrite">Replace</button>
          <button type="button" onClick={() => setExists(null)}>Keep the existing file</button>
        </div>
      )}
      {written && <p className="ok-text small" role="status" data-testid="report-written">{written}</p>}
    </fieldset>
  );
}
