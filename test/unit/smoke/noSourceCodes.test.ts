// Users read document titles, never the short keys of our research notes (issue 15: no "seed 003",
// "B-2008", "C-FKB", "D-SUP" in user text). This scans what the app and the CLI show: the traces and
// explanations of a replay of every training scenario and every E-mail Router scenario (and their
// lessons), the version presets, the support check's rules, findings and replay warnings, the settings
// metadata, and the apply kit. Code comments may keep the keys; these outputs may not.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApplyKit } from '../../../core/analysis/applyKit.js';
import { PRESETS } from '../../../core/analysis/presets.js';
import {
  SUPPORT_RULES, checkSupport, replayWarnings,
  type AuthMethod, type Deployment, type ItemKind, type MailHost, type MailboxUnderCheck, type ProfileType, type ServerProfile,
} from '../../../core/analysis/supportCheck.js';
import { explainDecision } from '../../../core/engine/model/explain.js';
import { replay } from '../../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { SETTINGS_META } from '../../../core/engine/model/settingsMeta.js';
import { loadRouterScenario, routerInputFor } from '../../../core/node/router/load.js';
import { loadScenario } from '../../../core/node/scenario/load.js';
import { explainRouterDecision, routerHeadline } from '../../../core/router/explain.js';
import { replayRouter } from '../../../core/router/replay.js';
import { SOURCES } from '../../../core/sources.js';

/**
 * The keys of ../shared/reference/dynamics-email-correlation-research.md §0 and the seed files as our
 * notes write them, and the notes' own markers ("research §11", "[INF]").
 */
const CODE = /(seed [0-9]{3}|\b[BCD]-[A-Z0-9]{2,6}[a-z]?\b|\bKB-[A-Z]{3}\b|\bD[1-4]\b|\bM-[a-z]{2,5}\b|\bF-REG\b|\bT-ODB\b|\bTI-HEX\b|\bAPI-[A-Z]{2,3}\b|research §|\[(INF|CONFLICT|COMM|DOC-old|SPEC)\])/;

const ASSETS = join(__dirname, '../../../assets');

/** Every string inside a value (object fields, array items), with where it was found. */
function strings(value: unknown, where: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([where, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${where}.${k}`, out);
}

function offenders(texts: Array<[string, string]>): string[] {
  return texts.filter(([, t]) => CODE.test(t)).map(([w, t]) => `${w}: ${t}`);
}

function dirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name)).sort();
}

describe('no internal source codes in what users read', () => {
  it('the pattern catches what it is meant to catch, and not titles', () => {
    for (const code of ['seed 003', 'B-2008', 'B-2006a', 'C-FKB', 'D-SUP', 'KB-NRM', 'D1', 'M-org', 'F-REG', 'T-ODB', 'TI-HEX', 'API-CIE', 'research §11', '[INF]']) {
      expect(CODE.test(`a sentence (${code}).`), code).toBe(true);
    }
    const titles: Array<[string, string]> = [];
    strings(SOURCES, 'SOURCES', titles);
    expect(offenders(titles)).toEqual([]);
  });

  it('training scenarios: traces, explanations and lessons', () => {
    const texts: Array<[string, string]> = [];
    const scenarios = dirs(join(ASSETS, 'scenarios'));
    expect(scenarios.length).toBeGreaterThan(20);
    for (const dir of scenarios) {
      const { scenario, input } = loadScenario(dir);
      texts.push([`${dir} lesson`, scenario.lesson], [`${dir} title`, scenario.title]);
      for (const d of replay(input).decisions) {
        for (const [i, s] of d.trace.entries()) texts.push([`${dir} ${d.key} step ${i + 1}`, `${s.stage} ${s.result} ${s.detail}`]);
        for (const line of explainDecision(d)) texts.push([`${dir} ${d.key} explain`, line]);
      }
    }
    expect(offenders(texts)).toEqual([]);
  });

  it('E-mail Router scenarios under every preset: traces, explanations and lessons', () => {
    const texts: Array<[string, string]> = [];
    const scenarios = dirs(join(ASSETS, 'router-scenarios'));
    expect(scenarios.length).toBeGreaterThan(3);
    for (const dir of scenarios) {
      const l = loadRouterScenario(dir);
      texts.push([`${dir} lesson`, l.scenario.lesson], [`${dir} title`, l.scenario.title]);
      for (const preset of PRESETS.map((p) => p.name)) {
        for (const d of replayRouter(routerInputFor(l, preset)).decisions) {
          strings(d.trace, `${dir} ${preset} ${d.key} trace`, texts);
          texts.push([`${dir} ${preset} ${d.key} headline`, routerHeadline(d)]);
          for (const line of explainRouterDecision(d)) texts.push([`${dir} ${preset} ${d.key} explain`, line]);
        }
      }
    }
    expect(offenders(texts)).toEqual([]);
  });

  it('version presets', () => {
    const texts: Array<[string, string]> = [];
    strings(PRESETS, 'PRESETS', texts);
    expect(offenders(texts)).toEqual([]);
    // Each preset still names its documents.
    for (const p of PRESETS) expect(p.sources.length, p.name).toBeGreaterThan(0);
  });

  it('supported-configuration check: rules, findings and replay warnings', () => {
    const texts: Array<[string, string]> = [];
    strings(SUPPORT_RULES, 'SUPPORT_RULES', texts);
    const hosts: MailHost[] = [
      { kind: 'exchange-online', tenant: 'same' }, { kind: 'exchange-online', tenant: 'other' },
      ...(['2003', '2007', '2010', '2013', '2016', '2019'] as const).map((version): MailHost => ({ kind: 'exchange-server', version })),
      ...(['gmail', 'yahoo', 'outlook.com', 'msn', 'windows-live', 'other'] as const).map((host): MailHost => ({ kind: 'pop3-imap', host })),
    ];
    const types: ProfileType[] = ['exchange-online', 'exchange-online-hybrid', 'exchange-server', 'exchange-server-hybrid', 'pop3-smtp', 'imap-smtp'];
    const auths: AuthMethod[] = ['server-to-server', 'user-credentials', 'impersonation'];
    const itemSets: ItemKind[][] = [['email'], ['email', 'appointments-contacts-tasks']];
    for (const kind of ['online', 'onpremises'] as const) {
      for (const flags of [false, true]) {
        const deployment: Deployment = { kind, version: kind === 'online' ? '9.2' : '5.0', fips: flags, mfa: flags, mixedOutlookSyncAndSss: flags, networkInspection: flags, massEmail: flags, protocolExtensibility: flags, owaInHybrid: flags };
        const mailboxes: MailboxUnderCheck[] = [];
        for (const host of hosts) {
          for (const type of types) {
            for (const auth of auths) {
              const profile: ServerProfile = { id: `${type}-${auth}`, type, auth, autoDiscover: flags };
              for (const items of itemSets) {
                mailboxes.push({ id: `m${mailboxes.length}`, host, incoming: profile, outgoing: profile, items, aliasOrDistributionList: flags, smimeOrThirdPartyEncryption: flags, manualTrackingInOutlook: flags });
              }
            }
          }
          mailboxes.push({ id: `m${mailboxes.length}`, host, incoming: null, outgoing: null, items: ['email'] });
          const pop: ServerProfile = { id: 'pop', type: 'pop3-smtp' };
          for (const routerMode of [false, true]) {
            strings(replayWarnings({ host, incoming: flags ? pop : null, outgoing: pop, deployment }, {
              itemKinds: ['email', 'appointments-contacts-tasks'], incomingTracked: 3, sentItemsTracked: 2, folderLevelTracked: 1, smimeTracked: 1, manualOutlookTracking: true, routerMode,
            }), `replayWarnings ${kind} ${host.kind}`, texts);
          }
        }
        strings(checkSupport({ deployment, mailboxes }), `checkSupport ${kind} ${flags}`, texts);
      }
    }
    expect(texts.length).toBeGreaterThan(1000);
    expect(offenders(texts)).toEqual([]);
  });

  it('settings metadata: labels, descriptions and sources', () => {
    const texts: Array<[string, string]> = [];
    for (const m of SETTINGS_META) texts.push([`${m.key} label`, m.label], [`${m.key} description`, m.description], [`${m.key} source`, m.source], [`${m.key} microsoftName`, m.microsoftName]);
    expect(offenders(texts)).toEqual([]);
    // A documented setting cites at least one document by its title.
    const titles = Object.values(SOURCES).map((s) => s.title);
    for (const m of SETTINGS_META.filter((x) => !x.undocumented)) expect(titles.some((t) => m.source.includes(t)), m.key).toBe(true);
  });

  it('apply kit: every route, note and manual step for a proposal changing every setting', () => {
    // Every setting moved off its default (numbers within their ranges), so every route and text is built.
    const proposal: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const m of SETTINGS_META) {
      const v = DEFAULT_SETTINGS[m.key];
      if (typeof v === 'boolean') proposal[m.key] = !v;
      else if (typeof v === 'number') proposal[m.key] = v === (m.max ?? Infinity) ? v - 1 : m.key === 'maximumtrackingnumber' ? 9999 : v + 1;
      else if (m.kind === 'enum' && m.values) proposal[m.key] = m.values.find((x) => x !== v) ?? v;
      else if (typeof v === 'string') proposal[m.key] = m.key === 'hashfilterkeywords' ? '^(RE|FW):\\s*' : 'ACME';
    }
    const kit = buildApplyKit(DEFAULT_SETTINGS, proposal as unknown as Settings, { organizationUri: 'https://contoso.crm.dynamics.com', currentOrgDbOrgSettings: '<OrgSettings><MaximumSubjectLengthOnMailServer>300</MaximumSubjectLengthOnMailServer></OrgSettings>' });
    expect(kit.routes.length).toBeGreaterThan(2);
    const texts: Array<[string, string]> = [];
    strings(kit, 'kit', texts);
    expect(offenders(texts)).toEqual([]);
  });
});
