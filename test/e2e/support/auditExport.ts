// Builds a Dataverse Web API email export (research §1 columns, OData shape) from a workspace's own
// latest run, so an audit of it has known answers: one record that agrees with SyncLens (same
// correlation method), one for a message SyncLens does not track (a disagreement on "tracked"), one
// whose Message-ID no message has (unmatched), and one with a malformed createdon (reported by row).
import { listDecisions, listRuns, getMessageRow, openWorkspace } from '../../../core/node/workspace/index.js';

export interface BuiltExport {
  json: string;
  /** The same records as an Advanced Find / Excel CSV: display-name headers, labels instead of codes. */
  csv: string;
  /** A contacts CSV (display names) with one good row and one whose email is not an address (row 2: kept, the address ignored). */
  contactsCsv: string;
  agreeSubject: string;
  disagreeSubject: string;
  unmatchedMessageId: string;
  malformedRow: number;
}

/** From the latest run of `profile` (the audit replays with that profile's settings). */
export function buildAuditExport(workspaceFile: string, profile = 'Default'): BuiltExport {
  const ws = openWorkspace(workspaceFile, { create: false, readonly: true });
  try {
    const run = listRuns(ws).filter((r) => r.profileName === profile).at(-1);
    if (!run) throw new Error(`${workspaceFile} has no run of profile ${profile} to build an export from`);
    const decisions = listDecisions(ws, run.id).filter((d) => /^\d+$/.test(d.key));
    const row = (key: string) => {
      const r = getMessageRow(ws, Number(key));
      if (!r?.message_id) return null;
      return r;
    };
    const tracked = decisions.find((d) => d.tracked && d.correlationMethod !== 'None' && d.correlationMethod !== 'Skipped' && row(d.key));
    const untracked = decisions.find((d) => !d.tracked && d.outcome === 'NoCorrelationMatch' && row(d.key) && row(d.key)?.message_id !== row(tracked?.key ?? '')?.message_id);
    if (!tracked || !untracked) throw new Error('the workspace lacks a tracked and an untracked message with Message-IDs');
    const a = row(tracked.key)!;
    const b = row(untracked.key)!;
    const record = (id: string, messageId: string, subject: string, method: number, createdon = '2024-03-04T10:00:00Z') => ({
      '@odata.etag': 'W/"1"', activityid: id, messageid: messageId, subject, directioncode: false, correlationmethod: method,
      'correlationmethod@OData.Community.Display.V1.FormattedValue': String(method), createdon, sender: 'someone@fabrikam.com', torecipients: 'alice@contoso.com',
    });
    const unmatchedMessageId = '<not-in-any-mailbox@fabrikam.com>';
    const value = [
      record('11111111-1111-1111-1111-111111111111', a.message_id!, a.subject, tracked.correlationMethodCode),
      record('22222222-2222-2222-2222-222222222222', b.message_id!, b.subject, 4),
      record('33333333-3333-3333-3333-333333333333', unmatchedMessageId, 'Never imported', 0),
      record('44444444-4444-4444-4444-444444444444', '<malformed-date@fabrikam.com>', 'Bad date', 0, 'last Tuesday'),
    ];
    const LABELS = ['None', 'Skipped', 'XHeader', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching', 'CustomCorrelation'];
    const cell = (v: unknown): string => {
      const t = String(v);
      return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    };
    const csv = [
      ['Email Message', 'Subject', 'Message ID', 'Direction', 'Correlation Method', 'Created On'].join(','),
      ...value.map((r) => [r.activityid, r.subject, r.messageid, 'Incoming', LABELS[r.correlationmethod] ?? '', r.createdon].map(cell).join(',')),
    ].join('\r\n');
    const contactsCsv = ['Contact,Full Name,Email,Status', '55555555-5555-5555-5555-555555555555,Pat Northwind,pat@northwind.example,Active', '66666666-6666-6666-6666-666666666666,Broken Row,not-an-address,Active'].join('\r\n');
    return {
      csv,
      contactsCsv,
      json: JSON.stringify({ '@odata.context': 'https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#emails', value }, null, 2),
      agreeSubject: a.subject,
      disagreeSubject: b.subject,
      unmatchedMessageId,
      malformedRow: 4,
    };
  } finally {
    ws.close();
  }
}
