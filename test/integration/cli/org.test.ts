// `org import` / `org show`, `import --mailbox` with a loaded org, and `replay` as a user runs them
// (node --import tsx core/cli/main.ts …) on the Contoso fixture org (test/fixtures/org, JSON and CSV forms)
// and Alice's Maildir. The outcome of each message is worked out by hand from SIMULATOR.md:
//   Old news (20 Feb)        received before Process Emails From 1 Mar (the later of the mailbox's 15 Feb
//                            and the profile's 1 Mar, §9)                             → BeforeProcessEmailsFrom
//   RE: Quote for Q2 (5 Mar) In-Reply-To = Message-ID of the quote Alice sent (tracked, Regarding Fabrikam);
//                            Alice filters "in response": correlated                  → CorrelationMatch, InReplyTo,
//                                                                                       Regarding Fabrikam (§3)
//   Hello from Litware       no In-Reply-To, token or ConversationIndex, smart matching off; Alice is the
//                            only candidate and filters "in response"                → NoCorrelationMatch (§4)
//   New topic (Cc Bob)       Alice's filter fails; Bob (Cc, mailbox synchronized) filters "from leads,
//                            contacts and accounts" and Carol is a contact          → SenderMatch, Accepting Entity Bob
//   Specs (Inbox/Projects)   folder-level tracked with Regarding Fabrikam           → FolderLevelTracking (§2 stage 1)
//   Pricing question         its Message-ID is an email already tracked             → Duplicate (§2 stage 4)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDecisions, listRuns, loadMessages, openWorkspace } from '../../../core/node/workspace/index.js';

const ROOT = path.resolve(new URL('../../..', import.meta.url).pathname);
const FIX = path.join(ROOT, 'test/fixtures/org');
const MAILDIR = path.join(FIX, 'maildir/alice');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-org-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'core/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ALICE = 'user:5a1ce000-0000-4000-8000-0000000000a1';
const BOB = 'user:5a1ce000-0000-4000-8000-0000000000b0';
const FABRIKAM = 'account:acc00000-0000-4000-8000-0000000000f1';
const QUOTE = 'e1e1e1e1-0000-4000-8000-000000000001';

/** The last run's decisions by subject. */
function outcomes(wsFile: string): Record<string, { outcome: string; method: string; correlatedTo: string | null; regarding: string | null; accepting: string | null; receiving: string | null }> {
  const ws = openWorkspace(wsFile, { create: false, readonly: true });
  try {
    const subject = new Map(loadMessages(ws).map((m) => [m.key, m.subject]));
    const run = listRuns(ws).at(-1)!;
    return Object.fromEntries(listDecisions(ws, run.id).map((d) => [subject.get(d.key)!, { outcome: d.outcome, method: d.correlationMethod, correlatedTo: d.correlatedTo, regarding: d.regarding, accepting: d.acceptingEntity, receiving: d.receivingMailbox }]));
  } finally {
    ws.close();
  }
}

const EXPECTED = {
  'Old news': { outcome: 'BeforeProcessEmailsFrom', method: 'None', correlatedTo: null, regarding: null, accepting: null },
  'RE: Quote for Q2 CRM:0001001': { outcome: 'CorrelationMatch', method: 'InReplyTo', correlatedTo: QUOTE, regarding: FABRIKAM, accepting: ALICE, receiving: 'alice@contoso.com' },
  'Hello from Litware': { outcome: 'NoCorrelationMatch', method: 'None', correlatedTo: null, accepting: null },
  'New topic': { outcome: 'SenderMatch', method: 'None', correlatedTo: null, accepting: BOB, receiving: 'alice@contoso.com' },
  Specs: { outcome: 'FolderLevelTracking', method: 'None', regarding: FABRIKAM, accepting: null },
  'Pricing question': { outcome: 'Duplicate', method: 'None', accepting: null },
};

describe('org command line', () => {
  it('--help exits 0; a missing path or workspace, or an unknown subcommand, exits 2 with the usage', () => {
    const h = cli('org', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^usage: org import PATH\.\.\. --workspace FILE/);
    expect(cli('org', 'import', '--help').code).toBe(0);
    for (const args of [['org', 'import', '--workspace', path.join(dir, 'x.synclens')], ['org', 'import', FIX], ['org', 'load'], ['org', 'show', '--workspace', 'w', '--bogus']]) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/usage: org import/);
    }
    expect(cli('replay', '--help').code).toBe(0);
    expect(cli('import', '--help').code).toBe(0);
  });

  for (const form of ['json', 'csv'] as const) {
    it(`the Contoso org as ${form === 'json' ? 'Web API JSON' : 'Excel CSV'}: import uses its mailbox; replay gives the outcomes worked out by hand`, () => {
      const ws = path.join(dir, `${form}.synclens`);
      const o = cli('org', 'import', path.join(FIX, form), '--workspace', ws);
      expect(o.err).toBe('');
      expect(o.code).toBe(0);
      expect(o.out).toContain('Landed: 3 mailbox(es), 6 directory row(s), 2 tracked email(s); organization settings as the profile "org"');
      const i = cli('import', MAILDIR, '--workspace', ws, '--mailbox', 'alice@contoso.com');
      expect(i.code).toBe(0);
      expect(i.out).toMatch(/^Mailbox alice@contoso\.com from the loaded organization \(.*mailboxes\.(json|csv) row 1\): owner Alice Smith \(user\), filter 1 "Email messages in response to Dynamics 365 email"/i);
      expect(i.out).toContain('Process Emails From 2024-03-01T00:00:00.000Z (the later of the mailbox (2024-02-15) and its profile Microsoft Exchange Online (2024-03-01))');
      expect(i.out).toContain('tracked folders Inbox/Projects');
      const r = cli('replay', '--workspace', ws);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Settings: the loaded organization\'s (profile "org")');
      expect(r.out).not.toMatch(/can be tracked/);
      const got = outcomes(ws);
      expect(Object.keys(got).sort()).toEqual(Object.keys(EXPECTED).sort());
      for (const [subject, want] of Object.entries(EXPECTED)) expect(got[subject], subject).toMatchObject(want);
    }, 120_000);
  }

  it('a mailbox imported without an org: the replay says plainly why nothing can be tracked; loading the org afterwards fixes it', () => {
    const ws = path.join(dir, 'late.synclens');
    const i = cli('import', MAILDIR, '--workspace', ws, '--mailbox', 'alice@contoso.com');
    expect(i.code).toBe(0);
    expect(i.out).toMatch(/^Mailbox alice@contoso\.com is not in a loaded organization: owner user:alice, filter 1/);
    const r = cli('replay', '--workspace', ws);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Settings: the simulator's defaults");
    // Filter 1 with no tracked email: the five Inbox messages (no Process Emails From without the org); the
    // Projects folder is not tracked.
    expect(r.out).toContain([
      'None of the 6 messages can be tracked:',
      "  - 5 messages in mailboxes filtering 'in response' and 0 tracked emails: load the org's emails or change the filter",
      '  - 1 message is in folders server-side synchronization does not read (only the Inbox root, folder-level-tracked folders and, with AutoTrackSentFolderItems, Sent Items): track those folders or import them as the Inbox',
    ].join('\n'));
    expect(cli('org', 'import', path.join(FIX, 'json'), '--workspace', ws).code).toBe(0);
    expect(cli('replay', '--workspace', ws).code).toBe(0);
    const got = outcomes(ws);
    for (const [subject, want] of Object.entries(EXPECTED)) expect(got[subject], subject).toMatchObject(want);
  }, 120_000);

  it('bad rows are listed by file, row and column and the rest loads; org show lists what was loaded and every problem', () => {
    const ws = path.join(dir, 'bad.synclens');
    const o = cli('org', 'import', path.join(FIX, 'json'), path.join(FIX, 'bad'), '--workspace', ws);
    expect(o.code).toBe(0);
    const bad = path.join(FIX, 'bad');
    for (const line of [
      `${bad}/Contacts.csv row 2 column (Do Not Modify) Contact: has no contactid`,
      `${bad}/Contacts.csv row 3 column Status: "Archived" is not a label of statecode`,
      `${bad}/Contacts.csv row 4 column Owner: "bob@contoso.com" is an email address, but this column is a lookup`,
      `${bad}/mailboxes.json row 1 column processemailreceivedafter: "2024-31-12T00:00:00Z" is not a date`,
      `${bad}/mailboxes.json row 2 column incomingemaildeliverymethod: 7 is not a value of incomingemaildeliverymethod`,
      `${bad}/mailboxes.json row 3 column mailboxid: has no mailboxid`,
      `${bad}/mailboxes.json row 4 column regardingobjectid: "support@contoso.com" is an email address`,
      `${bad}/usersettings.json row 1 column incomingemailfilteringmethod: 9 is not a value`,
      `${bad}/Email Messages.csv row 1 column Date Sent: "32/13/2024 9:00 AM" is not a date`,
    ]) expect(o.out).toContain(line);
    const s = cli('org', 'show', '--workspace', ws);
    expect(s.code).toBe(0);
    expect(s.out).toContain(`${bad}/Contacts.csv: contact (CSV, table from header), 4 of 5 rows loaded, 4 problem(s)`);
    expect(s.out).toMatch(/Rows by table:[\s\S]*contact +4\n/);
    // bad/organizations.json is the same organization row, loaded later: it replaces the good one, and its
    // problems say which of its settings could not be read.
    expect(s.out).toContain('organizations.json row 1 column hashmaxcount: hashmaxcount = -5 is out of range: allowed 0–2147483647; the default 20 is used');
    // Bob's mailbox row was replaced by bad/mailboxes.json row 2, whose delivery method is unreadable; the
    // support mailbox by row 4, whose Regarding is an address (read as empty): the queue Support still owns
    // it, since the queue's default mailbox names it.
    expect(s.out).toMatch(/bob@contoso\.com: owner Bob Jones \(user\); filter 2 "Email messages from Dynamics 365 Leads, Contacts and Accounts" from the user's settings; incoming unknown;/);
    expect(s.out).toContain('Incoming Email (the delivery method) is empty or unreadable in the export: taken as server-side synchronization');
    expect(s.out).toContain('support@contoso.com: owner Support (queue); filter 0 "All email messages" from the queue; incoming "Server-Side Synchronization or Email Router"; Process Emails From not set');
    expect(s.out).toContain('Inbox/Projects → Fabrikam, Inc.');
    const j = JSON.parse(cli('org', 'show', '--workspace', ws, '--json').out) as { problems: unknown[]; files: unknown[] };
    expect(j.files).toHaveLength(17);
    expect(j.problems.length).toBeGreaterThanOrEqual(9);
  }, 120_000);

  it('a file that is neither an export nor readable is named, the others load, and the exit code is 1', () => {
    const src = path.join(dir, 'mixed');
    fs.mkdirSync(src);
    fs.copyFileSync(path.join(FIX, 'json/contacts.json'), path.join(src, 'contacts.json'));
    fs.writeFileSync(path.join(src, 'broken.json'), '{"value": [');
    fs.writeFileSync(path.join(src, 'notes.txt'), 'hello');
    const ws = path.join(dir, 'mixed.synclens');
    const r = cli('org', 'import', src, '--workspace', ws);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`org: ${src}/broken.json: not valid JSON`);
    expect(r.out).toContain(`${src}/contacts.json: contact (Web API JSON, table from odata.context), 1 of 1 rows`);
    expect(r.out).toContain(`skipped ${src}/notes.txt: neither .json nor .csv`);
  }, 60_000);
});
