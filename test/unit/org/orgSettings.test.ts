// orgdborgsettings (an XML string of setting elements, research §2.3) and the organization's columns
// (research §2.1) → the settings the engine simulates; the rest kept and shown as unknown.
import { describe, expect, it } from 'vitest';
import { readOrganizationColumns, readOrgDbOrgSettings } from '../../../core/org/orgSettings.js';
import { parseOrgRows } from '../../../core/org/parseRows.js';
import type { OrgOrganization } from '../../../core/org/types.js';

describe('orgdborgsettings', () => {
  it('known settings typed by the engine\'s metadata; unknown ones kept with their raw values', () => {
    const r = readOrgDbOrgSettings('<orgSettings><SSSForceFilteringMethodForUserMailboxes>0</SSSForceFilteringMethodForUserMailboxes><disablesmartmatching>True</disablesmartmatching><CreateQueueItemForSynchronizingMailbox>true</CreateQueueItemForSynchronizingMailbox><MaximumSubjectLengthOnMailServer>400</MaximumSubjectLengthOnMailServer></orgSettings>');
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual({ SSSForceFilteringMethodForUserMailboxes: 0, DisableSmartMatching: true, MaximumSubjectLengthOnMailServer: 400 });
    expect(r.unknown).toEqual([{ name: 'CreateQueueItemForSynchronizingMailbox', value: 'true', source: 'orgdborgsettings' }]);
  });
  it('a value out of the setting\'s range is reported and the default kept', () => {
    const r = readOrgDbOrgSettings('<orgSettings><MaximumSubjectLengthOnMailServer>100</MaximumSubjectLengthOnMailServer></orgSettings>');
    expect(r.settings).toEqual({});
    expect(r.problems).toEqual([{ column: 'orgdborgsettings/MaximumSubjectLengthOnMailServer', problem: 'MaximumSubjectLengthOnMailServer = 100 is out of range: allowed 255–400; the default 255 is used' }]);
  });
  it('malformed XML is reported; nothing is guessed', () => {
    const r = readOrgDbOrgSettings('<orgSettings><DisableSmartMatching>true</orgSettings>');
    expect(r.settings).toEqual({});
    expect(r.problems[0]!.problem).toMatch(/^not well-formed XML/);
  });
  it('an empty value is no settings at all', () => {
    expect(readOrgDbOrgSettings('')).toEqual({ settings: {}, unknown: [], problems: [], notes: [] });
  });
});

describe('organization columns', () => {
  it('Web API row: booleans and integers as typed; email columns SyncLens does not simulate are kept', () => {
    const r = parseOrgRows('organization', [{ organizationid: '0f1e2d3c-0000-4000-8000-000000000001', name: 'Contoso', enablesmartmatching: true, hashmaxcount: 30, trackingprefix: 'CRM', isfolderbasedtrackingenabled: true, orgdborgsettings: '<orgSettings><AutoTrackSentFolderItems>true</AutoTrackSentFolderItems></orgSettings>' }], { file: 'o.json' });
    const o = r.records[0] as OrgOrganization;
    expect(r.problems).toEqual([]);
    expect(o.settings).toEqual({ enablesmartmatching: true, hashmaxcount: 30, trackingprefix: 'CRM', AutoTrackSentFolderItems: true });
    expect(o.unknownSettings).toEqual([{ name: 'isfolderbasedtrackingenabled', value: 'true', source: 'column' }]);
  });
  it('CSV: Yes/No and numbers as text', () => {
    const cells: Record<string, string> = { emailcorrelationenabled: 'No', hashminaddresscount: '3' };
    const r = readOrganizationColumns((k) => (cells[k] === undefined ? undefined : { raw: cells[k], header: k }));
    expect(r.settings).toEqual({ emailcorrelationenabled: false, hashminaddresscount: 3 });
  });
  it('a trackingprefix holding several prefixes: first current, the rest history, with a note that the order is undocumented', () => {
    const r = readOrganizationColumns((k) => (k === 'trackingprefix' ? { raw: 'NEW;CRM', header: 'trackingprefix' } : undefined));
    expect(r.settings).toEqual({ trackingprefix: 'NEW', trackingprefixhistory: ['CRM'] });
    expect(r.notes[0]).toMatch(/undocumented/);
  });
});
