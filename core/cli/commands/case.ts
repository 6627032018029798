// `case export --workspace FILE --message ID --out DIR [--anonymize]`: one message of a workspace as a
// scenario folder (SCENARIO-FORMAT.md) that support can replay and a trainer can turn into a lesson.

import { parseArgs } from 'node:util';
import { CaseError, exportCase } from '../../node/case/exportCase.js';
import { ScenarioError } from '../../scenario/scenario.js';
import { WorkspaceError } from '../../node/workspace/index.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

const USAGE = `usage: case export --workspace FILE --message ID --out DIR [--anonymize]

Writes the message (its number, as \`explain\` takes it), the tracked emails and earlier messages its
decision in the latest replay looked at, the directory rows and mailboxes involved and the settings that
differ from the defaults into DIR (new or empty) as a scenario, then replays it and says whether it
reaches the same decision. --anonymize replaces addresses, names, subject words, Message-IDs, ids and
folder names consistently (tracking tokens, Thread-Index and dates are kept) and removes body text.
Exit status: 0 the scenario reproduces the decision, 1 it was written but does not, or the export
failed; 2 usage.`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') { io.out(USAGE); return 0; }
  if (sub !== 'export') { io.err(USAGE); return 2; }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest, allowPositionals: false, strict: true,
      options: { workspace: { type: 'string' }, message: { type: 'string' }, out: { type: 'string' }, anonymize: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { io.out(USAGE); return 0; }
  if (!values.workspace || !values.message || !values.out) { io.err(USAGE); return 2; }
  try {
    const r = exportCase(values.workspace, values.message, values.out, { anonymize: values.anonymize === true });
    io.out(`Wrote ${r.dir}: ${r.messages} message${r.messages === 1 ? '' : 's'}, ${r.tracked} tracked email${r.tracked === 1 ? '' : 's'}, ${r.directoryRows} directory row${r.directoryRows === 1 ? '' : 's'}, ${r.mailboxes} mailbox${r.mailboxes === 1 ? '' : 'es'}${r.anonymized ? ', anonymized' : ''}.`);
    io.out(r.settings.length ? `Settings that differ from the defaults: ${r.settings.join(', ')}.` : 'Every setting has its default value.');
    if (r.reproduced) {
      io.out(`Replayed: the scenario reaches the same decision (${r.expectedOutcome}); \`scenario check ${values.out}\` passes.`);
      return 0;
    }
    io.out(`Replayed: the scenario does NOT reach the same decision (the workspace decided ${r.expectedOutcome}, the scenario ${r.replayedOutcome ?? 'nothing'}). Differences:`);
    for (const m of r.mismatches) io.out(`  ${m.file} ${m.key}: expected ${JSON.stringify(m.expected)}, replayed ${JSON.stringify(m.actual)}`);
    return 1;
  } catch (e) {
    if (e instanceof CaseError || e instanceof WorkspaceError || e instanceof ScenarioError) { io.err(e.message); return 1; }
    throw e;
  }
}
