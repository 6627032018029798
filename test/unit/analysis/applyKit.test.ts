import { describe, expect, it } from 'vitest';
import {
  ApplyKitError, buildApplyKit, mergeOrgDbOrgSettings, ORGANIZATION_COLUMNS, ORGDB_SETTINGS, validateOrganizationColumn, validateOrgDbSetting,
} from '../../../core/analysis/applyKit.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { isSimulatorSetting } from '../../../core/engine/model/settingsMeta.js';

const URI = 'https://contoso.crm.dynamics.com/';
const ORG = '0a1b2c3d-1111-2222-3333-444455556666';

function with_(over: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...over };
}

describe('buildApplyKit', () => {
  it('PATCH carries only the changed organization columns with JSON types', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ enablesmartmatching: true, hashmaxcount: 5, trackingprefix: 'ACME' }), { organizationUri: URI, organizationId: ORG });
    expect(kit.webApi?.method).toBe('PATCH');
    expect(kit.webApi?.url).toBe(`https://contoso.crm.dynamics.com/api/data/v9.2/organizations(${ORG})`);
    expect(kit.webApi?.headers).toEqual({ 'Content-Type': 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-Match': '*' });
    expect(kit.webApi?.body).toEqual({ enablesmartmatching: true, hashmaxcount: 5, trackingprefix: 'ACME' });
    expect(JSON.parse(kit.webApi?.bodyText ?? '')).toEqual(kit.webApi?.body);
    expect(kit.orgDbElements).toBeNull();
    expect(kit.routes.map((r) => r.id)).toEqual(['system-settings', 'webapi-columns']);
  });
  it('every emitted name is a known column / OrgDBOrgSetting of the right type', () => {
    const all = with_({
      emailcorrelationenabled: false, trackingtokenidbase: 500, trackingtokeniddigits: 4, maximumtrackingnumber: 9999, enablesmartmatching: true,
      hashfilterkeywords: 'x', hashmaxcount: 1, hashdeltasubjectcount: 1, hashminaddresscount: 3, ignoreinternalemail: true, unresolveemailaddressifmultiplematch: true,
      IgnoreConversationIndexAndInReplyToForCorrelation: true, DoNotCorrelateForwardedEmailsAsReplies: true, SSSForceFilteringMethodForUserMailboxes: 2,
      UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: true, AutoTrackSentFolderItems: true, UnresolveSenderInCaseOfMultipleMatch: true,
      OverrideV5SenderConflictResolution: true, DisableSmartMatching: true, MaximumSubjectLengthOnMailServer: 400, DoNotIgnoreInternalEmailToQueues: false,
      IgnoreInternalEmailFromQueues: true, ResolveForInactiveEntities: true,
    });
    const kit = buildApplyKit(DEFAULT_SETTINGS, all, { organizationUri: URI });
    for (const [k, v] of Object.entries(kit.webApi?.body ?? {})) {
      const spec = ORGANIZATION_COLUMNS[k];
      expect(spec, k).toBeDefined();
      expect(k).toBe(k.toLowerCase());
      expect(typeof v).toBe(spec?.type === 'integer' ? 'number' : spec?.type);
    }
    // maximumtrackingnumber is entered as digits in System Settings, not written (its stored form is inferred).
    expect(Object.keys(kit.webApi?.body ?? {}).length).toBe(10);
    expect(kit.webApi?.body).not.toHaveProperty('maximumtrackingnumber');
    expect(kit.orgDbChanges.length).toBe(12);
    for (const c of kit.orgDbChanges) expect(ORGDB_SETTINGS[c.name], c.name).toBeDefined();
    expect(kit.webApi?.url).toContain('organizations(<organizationid>)');
  });
  it('OrgDBOrgSettings: read orgdborgsettings, merge <OrgSettings><Name>value</Name> elements, PATCH the merged value', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ DoNotCorrelateForwardedEmailsAsReplies: true, SSSForceFilteringMethodForUserMailboxes: 1 }), { organizationUri: URI, organizationId: ORG });
    expect(kit.webApi).toBeNull();
    expect(kit.orgDbElements).toBe('<OrgSettings><DoNotCorrelateForwardedEmailsAsReplies>true</DoNotCorrelateForwardedEmailsAsReplies><SSSForceFilteringMethodForUserMailboxes>1</SSSForceFilteringMethodForUserMailboxes></OrgSettings>');
    expect(kit.orgDbRead).toMatchObject({ method: 'GET', url: `https://contoso.crm.dynamics.com/api/data/v9.2/organizations(${ORG})?$select=orgdborgsettings` });
    expect(kit.orgDbWrite?.method).toBe('PATCH');
    expect(kit.orgDbMerged).toBe(false);
    const route = kit.routes.find((r) => r.id === 'orgdb-webapi')!;
    expect(route.how).toMatch(/Read it first, merge/);
    expect(route.confidence).toBe('public-tools');
    expect(route.confidenceNote).toMatch(/Microsoft does not document/);
    expect(route.text.indexOf('GET ')).toBeLessThan(route.text.indexOf('PATCH '));
    expect(route.sources.map((x) => x.url)).toContain('https://learn.microsoft.com/en-us/power-apps/developer/data-platform/organization-table');
    const editor = kit.routes.find((r) => r.id === 'orgdb-editor')!;
    expect(editor.text.split('\n').slice(1).map((l) => l.split(/\s+/))).toEqual([['DoNotCorrelateForwardedEmailsAsReplies', 'false', 'true'], ['SSSForceFilteringMethodForUserMailboxes', '-1', '1']]);
    // Never the home-made <pair> shape.
    for (const r of kit.routes) expect(r.text).not.toMatch(/<pair>|<key>/);
  });

  it('with the current value given, the PATCH body is the merge: other elements kept, changed replaced, new appended', () => {
    const current = '<OrgSettings><IsRequiredFieldsValidationEnabled>true</IsRequiredFieldsValidationEnabled><DoNotCorrelateForwardedEmailsAsReplies>false</DoNotCorrelateForwardedEmailsAsReplies></OrgSettings>';
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ DoNotCorrelateForwardedEmailsAsReplies: true, DisableSmartMatching: true }), { organizationUri: URI, currentOrgDbOrgSettings: current });
    expect(kit.orgDbMerged).toBe(true);
    expect(kit.orgDbWrite?.body).toEqual({
      orgdborgsettings: '<OrgSettings><IsRequiredFieldsValidationEnabled>true</IsRequiredFieldsValidationEnabled><DoNotCorrelateForwardedEmailsAsReplies>true</DoNotCorrelateForwardedEmailsAsReplies><DisableSmartMatching>true</DisableSmartMatching></OrgSettings>',
    });
  });

  it('merge: an empty value starts the element list; a value it cannot read is refused, never rewritten', () => {
    expect(mergeOrgDbOrgSettings('', [{ name: 'DisableSmartMatching', to: true }])).toBe('<OrgSettings><DisableSmartMatching>true</DisableSmartMatching></OrgSettings>');
    expect(mergeOrgDbOrgSettings('<orgSettings><A/></orgSettings>', [{ name: 'B', to: 2 }])).toBe('<OrgSettings><A/><B>2</B></OrgSettings>');
    expect(() => mergeOrgDbOrgSettings('<settings/>', [])).toThrow(/not <OrgSettings>/);
    expect(() => mergeOrgDbOrgSettings('<OrgSettings><A><B>1</B></A></OrgSettings>', [])).toThrow(/does not read/);
  });

  it('columns sit beside their System Settings labels, in the forms the screen takes', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ maximumtrackingnumber: 9999, ignoreinternalemail: true, hashminaddresscount: 3 }), { organizationUri: URI });
    const col = (k: string) => kit.columns.find((c) => c.column === k)!;
    // D1: "Number of digits for incremental message counter", default 3.
    expect(col('maximumtrackingnumber')).toMatchObject({ label: 'Number of digits for incremental message counter', fromShown: '3', toShown: '4' });
    // D-SSE: "Track emails sent between users as two activities", default Yes = ignoreinternalemail false.
    expect(col('ignoreinternalemail')).toMatchObject({ label: 'Track emails sent between users as two activities', fromShown: 'Yes', toShown: 'No', to: true });
    expect(col('hashminaddresscount').label).toBeNull();
    const screen = kit.routes.find((r) => r.id === 'system-settings')!;
    expect(screen.text).toContain('Number of digits for incremental message counter: 3 → 4    [column maximumtrackingnumber]');
    expect(screen.text).toContain('Track emails sent between users as two activities: Yes → No    [column ignoreinternalemail]');
    expect(screen.text).not.toContain('hashminaddresscount');
    expect(kit.webApi?.body).toEqual({ ignoreinternalemail: true, hashminaddresscount: 3 });
    expect(kit.routes.find((r) => r.id === 'webapi-columns')!.how).toMatch(/hashminaddresscount has no System Settings field/);
  });
  it('sim* settings are simulator assumptions, nothing to apply; usetrackingtokens is manual', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ simConversationIndexRule: 'base', usetrackingtokens: false }), { organizationUri: URI, measuredEffect: ['3 more replies correlate'] });
    expect(kit.webApi).toBeNull();
    expect(kit.orgDbElements).toBeNull();
    expect(kit.simulatorAssumptions).toEqual([{ key: 'simConversationIndexRule', from: 'parent', to: 'base' }]);
    expect(kit.manual.map((m) => m.key)).toEqual(['usetrackingtokens']);
    expect(kit.note).toMatch(/Simulator assumptions, nothing to apply:\n {2}- simConversationIndexRule: "parent" → "base"/);
    expect(kit.note).toMatch(/Measured effect \(replay\):\n {2}- 3 more replies correlate/);
  });
  it('note shows before/after and a slot for the measured effect', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ enablesmartmatching: true }), { organizationUri: URI });
    expect(kit.note).toContain('Use smart matching (enablesmartmatching): No → Yes');
    expect(kit.note).toContain('(not measured yet)');
  });
  it('no change → no request, no XML', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, DEFAULT_SETTINGS, { organizationUri: URI });
    expect(kit.webApi).toBeNull();
    expect(kit.orgDbElements).toBeNull();
    expect(kit.routes).toEqual([]);
    expect(kit.note).toContain('No setting differs');
  });
  it('refuses bad input with the name of the problem', () => {
    expect(() => buildApplyKit(DEFAULT_SETTINGS, DEFAULT_SETTINGS, { organizationUri: 'contoso' })).toThrow(ApplyKitError);
    expect(() => buildApplyKit(DEFAULT_SETTINGS, DEFAULT_SETTINGS, { organizationUri: URI, organizationId: 'x' })).toThrow(/organizationId/);
    expect(() => buildApplyKit(DEFAULT_SETTINGS, with_({ hashmaxcount: 1.5 }), { organizationUri: URI })).toThrow(/hashmaxcount: expected an integer/);
    expect(() => buildApplyKit(DEFAULT_SETTINGS, with_({ SSSForceFilteringMethodForUserMailboxes: 7 }), { organizationUri: URI })).toThrow(/out of range -1–4/);
  });
  it('validators reject unknown names and wrong types', () => {
    expect(() => validateOrganizationColumn('rejectemailthatareambiguous', true)).toThrow(/not a known organization column/);
    expect(() => validateOrganizationColumn('enablesmartmatching', 'true')).toThrow(/expected a boolean/);
    expect(() => validateOrgDbSetting('FooBar', true)).toThrow(/not a known OrgDBOrgSetting/);
    expect(validateOrgDbSetting('MaximumSubjectLengthOnMailServer', 300)).toBe(300);
  });
  it('every Settings key Microsoft has (not a simulator choice) maps to a table or a manual instruction', () => {
    for (const key of Object.keys(DEFAULT_SETTINGS)) {
      // The simulator's own settings (sim* and the SIMULATOR §8 points) are nothing an admin applies.
      if (isSimulatorSetting(key) || key === 'usetrackingtokens' || key === 'trackingprefixhistory') continue;
      expect(key in ORGANIZATION_COLUMNS || key in ORGDB_SETTINGS, key).toBe(true);
    }
  });
  it('string columns are passed verbatim in the JSON body', () => {
    const kit = buildApplyKit(DEFAULT_SETTINGS, with_({ hashfilterkeywords: '<a&b>' }), { organizationUri: URI });
    expect(kit.webApi?.body.hashfilterkeywords).toBe('<a&b>');
  });
});
