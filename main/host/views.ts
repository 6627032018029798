// Read-only views the host computes on demand from H1's pure engine modules: the smart-matching
// comparison of two emails (SIMULATOR §3.2) and a tracking-token preview (§3.1). Plain data in and
// out; the host supplies the rows and settings.
import type { HashMatchView, HashSide, TokenPreview } from '../../core/contract/contract.js';
import { type Settings, addressHashes, addressOverlap, subjectRuleMatches, subjectWords, wordHash, TokenIssuer, normalizeToken, subjectTokenKeys } from '../../core/engine/index.js';

export interface EmailSide {
  id: string;
  subject: string;
  from: string | null;
  to: readonly string[];
  cc: readonly string[];
}

function side(e: EmailSide, settings: Settings, otherWords: ReadonlySet<number>, otherAddresses: ReadonlySet<number>): HashSide & { subjectHashes: number[]; addressHashes: number[]; error: string | null } {
  const w = subjectWords(e.subject, settings);
  const a = addressHashes(e.from, e.to, e.cc, settings.hashmaxcount);
  const words = w.ok ? w.words.map((word) => ({ word, hash: wordHash(word), shared: false })) : [];
  for (const x of words) x.shared = otherWords.has(x.hash);
  return {
    id: e.id,
    subject: e.subject,
    strippedPrefix: w.ok ? w.stripped.map((m) => m.text).join('') : '',
    remainder: w.ok ? w.remainder : e.subject,
    words,
    addresses: a.addresses.map((address, i) => ({ address, hash: a.hashes[i] ?? 0, shared: otherAddresses.has(a.hashes[i] ?? 0) })),
    subjectHashes: w.ok ? w.hashes : [],
    addressHashes: a.hashes,
    error: w.ok ? null : w.error,
  };
}

export function hashMatchView(message: EmailSide, candidate: EmailSide, settings: Settings): HashMatchView {
  // Two passes: first the hash sets, then each side marks what it shares with the other.
  const m0 = side(message, settings, new Set(), new Set());
  const c0 = side(candidate, settings, new Set(), new Set());
  const m = side(message, settings, new Set(c0.subjectHashes), new Set(c0.addressHashes));
  const c = side(candidate, settings, new Set(m0.subjectHashes), new Set(m0.addressHashes));
  const rule = settings.simSmartMatchingSubjectRule;
  const error = m.error ?? c.error;
  const subject = error
    ? { match: false, reason: error, sharedCount: 0 }
    : subjectRuleMatches(m.subjectHashes, c.subjectHashes, rule, settings.hashdeltasubjectcount);
  const overlap = addressOverlap(m.addressHashes, c.addressHashes).length;
  const addressOk = overlap >= settings.hashminaddresscount;
  const verdict = subject.match && addressOk;
  const strip = ({ subjectHashes: _s, addressHashes: _a, error: _e, ...rest }: typeof m): HashSide => rest;
  return {
    message: strip(m),
    candidate: strip(c),
    rule,
    subjectVerdict: { matches: subject.match, reason: subject.reason },
    addressOverlap: overlap,
    minAddressCount: settings.hashminaddresscount,
    verdict,
    explanation: verdict
      ? `Smart matching links these emails: subject rule ${rule} holds (${subject.reason}) and they share ${overlap} address hash(es), at least hashminaddresscount = ${settings.hashminaddresscount}.`
      : `Smart matching does not link these emails: ${!subject.match ? `subject rule ${rule} fails (${subject.reason})` : `subject rule ${rule} holds`}${addressOk ? '' : `; only ${overlap} shared address hash(es), fewer than hashminaddresscount = ${settings.hashminaddresscount}`}.`,
  };
}

export function tokenPreview(settings: Settings, userN: number, startCounter: number, count: number, tracked: readonly { id: string; subject: string }[]): TokenPreview {
  const issuer = new TokenIssuer(settings, startCounter);
  const tokens: TokenPreview['tokens'] = [];
  for (let i = 0; i < count; i++) {
    const r = issuer.issue('preview', userN);
    if (!r.ok) throw new Error(r.error);
    tokens.push({ token: r.issued.token, parts: r.issued.parts, wrapped: r.issued.wrapped });
  }
  // Which tracked emails already carry a token this preview would issue again (a wrap's collision).
  const byKey = new Map<string, string[]>();
  for (const t of tracked) for (const k of subjectTokenKeys(t.subject, settings)) byKey.set(k, [...(byKey.get(k) ?? []), t.id]);
  const collisions: TokenPreview['collisions'] = [];
  for (const t of new Set(tokens.map((x) => x.token))) {
    const ids = byKey.get(normalizeToken(t, settings) ?? '');
    if (ids?.length) collisions.push({ token: t, trackedIds: ids });
  }
  return { tokens, collisions };
}
