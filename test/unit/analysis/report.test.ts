// Reports: email-derived text is escaped in HTML and defused in CSV; the HTML page loads nothing from
// outside and needs no script; saved JSON reports round-trip through parseEnvelope.
import { describe, expect, it } from 'vitest';
import {
  auditHtml, csvCell, envelope, esc, parseEnvelope, renderCsv, renderHtml, ReportError, sweepHtml, whatIfCsv, whatIfHtml,
} from '../../../core/analysis/report.js';
import { whatIf } from '../../../core/analysis/whatif.js';
import { runSweep, parseSweepGrid } from '../../../core/analysis/sweep.js';
import { runAudit } from '../../../core/analysis/audit.js';
import { parseEmailActivities } from '../../../core/analysis/auditImport.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { DIR, input, mailbox, msg, tracked } from '../replay/helpers.js';

const HOSTILE = '<img src=x onerror=alert(1)> "Quote" & <script>alert(2)</script>';

function hostileInput(): ReturnType<typeof input> {
  return input([
    msg({ key: 'h1', messageId: '<h1@x>', subject: `RE: ${HOSTILE}`, date: '2024-03-02T08:00:00Z' }),
    msg({ key: 'h2', messageId: '<h2@x>', subject: '=HYPERLINK("http://evil.example","click")', date: '2024-03-03T08:00:00Z' }),
  ], { tracked: [tracked('e1', { subject: HOSTILE })], directory: DIR, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)] });
}

/** No script, no element or style that could load anything from elsewhere. */
function selfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  // Attributes inside real tags only (escaped text has no '<').
  expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|xlink:href|action|formaction|on[a-z]+)\s*=/i);
  expect(html).not.toMatch(/url\(|@import|<link|<iframe|<object|<embed/i);
  expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
}

describe('escaping', () => {
  it('esc covers element text and attribute values', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('csvCell quotes per RFC 4180 and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\r\nbye')).toBe('"say ""hi""\r\nbye"');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});

describe('HTML reports', () => {
  const { settings, ...rest } = hostileInput();

  it('what-if: charts inline, hostile subjects escaped, self-contained', () => {
    const r = whatIf(rest, settings, { ...settings, enablesmartmatching: true });
    expect(r.changed).toBe(1);
    const html = whatIfHtml(r, { source: { workspace: 'w.synclens' } });
    selfContained(html);
    expect(html).toContain('<svg');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('smart matching on: 1 reply now tracked, linked by smart matching');
    const csv = whatIfCsv(r);
    expect(csv.split('\r\n')[0]).toMatch(/^key,subject,from,change,cause,settings/);
    expect(csv).toContain('"RE: <img src=x onerror=alert(1)> ""Quote"" & <script>alert(2)</script>"');
  });

  it('sweep: a scatter chart with the Pareto front and the recommendation', () => {
    const grid = parseSweepGrid({ points: [{ hashminaddresscount: 2 }, { hashminaddresscount: 3 }] }, 'g.json');
    const r = runSweep(rest, settings, grid);
    const html = sweepHtml(r);
    selfContained(html);
    expect(html).toMatch(/<svg[^>]*aria-label="Precision against recall/);
    expect((html.match(/<circle/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('Recommendation');
  });

  it('audit: unmatched messages with hostile subjects are escaped; CSV defuses the formula subject', () => {
    const imp = parseEmailActivities(JSON.stringify({ value: [{ activityid: '11111111-aaaa-bbbb-cccc-000000000001', messageid: '<ghost@x>', subject: HOSTILE, directioncode: false }] }), 'e.json');
    const r = runAudit({ input: rest, settings: DEFAULT_SETTINGS, emails: imp.rows });
    const html = auditHtml(r);
    selfContained(html);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    const env = envelope('audit', r);
    const csv = renderCsv(env);
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"",""click"")`);
    expect(csv).toContain('record-without-message');
  });
});

describe('saved reports', () => {
  it('round-trip through JSON and render again', () => {
    const { settings, ...rest } = hostileInput();
    const env = envelope('whatif', whatIf(rest, settings, settings), { source: { workspace: 'w' } });
    const back = parseEnvelope(JSON.stringify(env), 'r.json');
    expect(back.kind).toBe('whatif');
    expect(renderHtml(back)).toContain('<h1>What-if');
  });
  it('refuses what is not a SyncLens report, naming the file', () => {
    expect(() => parseEnvelope('{"x":1}', 'r.json')).toThrow(/r\.json: not a SyncLens report/);
    expect(() => parseEnvelope('nope', 'r.json')).toThrow(ReportError);
    expect(() => parseEnvelope('{"format":"synclens-report","version":2,"kind":"sweep","result":{}}', 'r.json')).toThrow(/version 2 is not supported/);
  });
});
