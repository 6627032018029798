// Versioned schema migrations. Each has an id and a name; a workspace records which ran. Opening refuses a
// workspace whose newest migration is newer than this build (from the future) or that lists a migration this
// build does not know (written by a fork or a different branch), rather than guessing.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE mailboxes (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL UNIQUE COLLATE NOCASE,
  owner TEXT NOT NULL,
  filter INTEGER NOT NULL CHECK (filter BETWEEN 0 AND 4),
  process_emails_from TEXT,
  tracked_folders TEXT NOT NULL DEFAULT '[]',
  incoming INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL
);

CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  UNIQUE (mailbox_id, path)
);

-- One row per file (or Maildir message file) an import read. Sources are never written to.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('eml', 'mbox', 'maildir', 'msg')),
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  first_imported_at TEXT NOT NULL
);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  folder_id INTEGER NOT NULL REFERENCES folders(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  -- Where the bytes are: a byte range in the source file (for mbox, the message after its From line,
  -- still ">From "-quoted); inner messages point into their outer message's bytes.
  source_offset INTEGER NOT NULL,
  source_length INTEGER NOT NULL,
  mbox_quoted INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  inner_path TEXT,
  inner_encoding TEXT,
  sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'quarantined')),
  quarantine_reason TEXT,
  import_order INTEGER NOT NULL,
  message_id TEXT,
  in_reply_to TEXT,
  references_json TEXT NOT NULL DEFAULT '[]',
  subject TEXT NOT NULL DEFAULT '',
  from_addr TEXT,
  from_name TEXT,
  to_json TEXT NOT NULL DEFAULT '[]',
  cc_json TEXT NOT NULL DEFAULT '[]',
  bcc_json TEXT NOT NULL DEFAULT '[]',
  reply_to_json TEXT NOT NULL DEFAULT '[]',
  date_raw TEXT,
  date TEXT,
  received TEXT,
  thread_index TEXT,
  thread_index_bytes BLOB,
  thread_topic TEXT,
  auto_submitted TEXT,
  x_auto_response_suppress TEXT,
  precedence TEXT,
  x_autoreply TEXT,
  x_autorespond TEXT,
  x_apple_action TEXT,
  content_type TEXT,
  smime_type TEXT,
  protocol TEXT,
  x_trasporto TEXT,
  x_ricevuta TEXT,
  x_riferimento_message_id TEXT,
  flag_pec INTEGER NOT NULL DEFAULT 0,
  flag_pec_receipt INTEGER NOT NULL DEFAULT 0,
  flag_smime_encrypted INTEGER NOT NULL DEFAULT 0,
  flag_smime_opaque_signed INTEGER NOT NULL DEFAULT 0,
  flag_smime_signed INTEGER NOT NULL DEFAULT 0,
  flag_auto_reply INTEGER NOT NULL DEFAULT 0,
  flag_has_forwarded INTEGER NOT NULL DEFAULT 0,
  flag_forward_subject INTEGER NOT NULL DEFAULT 0,
  flag_bad_date INTEGER NOT NULL DEFAULT 0,
  flag_missing_message_id INTEGER NOT NULL DEFAULT 0,
  auto_reply_reasons TEXT NOT NULL DEFAULT '[]',
  headers_json TEXT NOT NULL DEFAULT '{}',
  defects_json TEXT NOT NULL DEFAULT '[]'
);
-- Idempotency: one top-level copy of given bytes per mailbox; inner messages unique within their outer one.
CREATE UNIQUE INDEX messages_top_sha ON messages (mailbox_id, sha256) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX messages_inner ON messages (parent_id, inner_path) WHERE parent_id IS NOT NULL;
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_order ON messages (mailbox_id, import_order);

CREATE TABLE directory_entries (
  ref TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'queue', 'contact', 'account', 'lead', 'record')),
  entity_id TEXT NOT NULL,
  table_name TEXT NOT NULL,
  name TEXT NOT NULL,
  emails_json TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  owner TEXT,
  tracking_number INTEGER,
  position INTEGER NOT NULL
);

CREATE TABLE settings_profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  settings_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE tracked_emails (
  id TEXT PRIMARY KEY,
  message_id TEXT,
  subject TEXT NOT NULL,
  tracking_token TEXT,
  conversation_index TEXT,
  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  from_addr TEXT,
  to_json TEXT NOT NULL DEFAULT '[]',
  cc_json TEXT NOT NULL DEFAULT '[]',
  sent_on TEXT NOT NULL,
  regarding TEXT,
  position INTEGER NOT NULL
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  profile_name TEXT,
  settings_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  message_count INTEGER NOT NULL,
  counts_json TEXT NOT NULL
);

-- One decision per message per run; message_key is the MessageFacts key (the message row id as text).
CREATE TABLE decisions (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  message_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  tracked INTEGER NOT NULL,
  correlation_method TEXT NOT NULL,
  correlated_to TEXT,
  regarding TEXT,
  decision_json TEXT NOT NULL,
  PRIMARY KEY (run_id, message_key)
);
CREATE INDEX decisions_outcome ON decisions (run_id, outcome);

CREATE TABLE traces (
  run_id INTEGER NOT NULL,
  message_key TEXT NOT NULL,
  steps_json TEXT NOT NULL,
  PRIMARY KEY (run_id, message_key),
  FOREIGN KEY (run_id, message_key) REFERENCES decisions(run_id, message_key) ON DELETE CASCADE
);
`,
  },
  {
    version: 2,
    name: 'list-indexes-and-run-duration',
    // The message list (100,000 rows, filtered and sorted in the app) walks top-level ok rows in date
    // order, and joins each row to its decision. The index also covers the text-search columns, so a
    // text filter (LIKE '%…%', which no index can seek) scans the narrow index instead of the wide
    // rows: ~20 ms instead of ~60–140 ms per query on 100,000 messages. Joining on the text key (CAST(m.id AS TEXT)) defeats
    // integer comparison and makes SQLite build the text for every row; message_row is the same key as
    // an integer (NULL for scenario keys that are file names), indexed per run; the chain view walks
    // correlated_to downwards. duration_ms records how
    // long a replay took, for the runs list.
    sql: `
CREATE INDEX messages_list ON messages (status, parent_id, date, id, subject, from_addr, message_id);
ALTER TABLE decisions ADD COLUMN message_row INTEGER;
UPDATE decisions SET message_row = CAST(message_key AS INTEGER) WHERE message_key GLOB '[0-9]*' AND message_key NOT GLOB '*[^0-9]*';
CREATE INDEX decisions_row ON decisions (run_id, message_row);
CREATE INDEX decisions_correlated ON decisions (run_id, correlated_to);
ALTER TABLE runs ADD COLUMN duration_ms INTEGER;
`,
  },
  {
    version: 3,
    name: 'mailbox-profile-tags',
    // The configuration an imported mailbox really used (issue 7): its email server profiles, host and
    // deployment, as the JSON of core/analysis/supportCheck.ts MailboxProfileTag. The replay warns when
    // that configuration could never have produced what it simulates. One tag per mailbox; removing the
    // mailbox removes its tag.
    sql: `
CREATE TABLE mailbox_profile_tags (
  mailbox_id INTEGER PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  tag_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'org-provenance',
    // A real organization loaded from Dataverse exports (issue 13, SIMULATOR §9): every row as loaded, with
    // where it came from (file, table, row); a later export of the same row (same table and id) replaces it.
    // The problems of each file (bad rows, by row and column) and of linking the tables together; the
    // organization's settings, those SyncLens simulates and those it only shows. The rows landed in
    // mailboxes, directory_entries and tracked_emails carry their provenance so the app can say where a
    // value came from, and so a later load replaces exactly what an earlier one landed.
    sql: `
CREATE TABLE org_files (
  file TEXT PRIMARY KEY,
  table_name TEXT NOT NULL,
  shape TEXT NOT NULL CHECK (shape IN ('webapi', 'csv')),
  detected_by TEXT NOT NULL,
  rows INTEGER NOT NULL,
  loaded INTEGER NOT NULL,
  loaded_at TEXT NOT NULL
);
CREATE TABLE org_rows (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  file TEXT NOT NULL,
  source_row INTEGER NOT NULL,
  record_json TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
CREATE TABLE org_problems (
  id INTEGER PRIMARY KEY,
  stage TEXT NOT NULL CHECK (stage IN ('row', 'link')),
  file TEXT NOT NULL,
  table_name TEXT,
  source_row INTEGER NOT NULL,
  column_name TEXT,
  problem TEXT NOT NULL
);
CREATE INDEX org_problems_file ON org_problems (file);
CREATE TABLE org_settings (
  name TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  known INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('column', 'orgdborgsettings')),
  file TEXT NOT NULL,
  source_row INTEGER NOT NULL
);
ALTER TABLE mailboxes ADD COLUMN dataverse_id TEXT;
ALTER TABLE mailboxes ADD COLUMN org_json TEXT;
ALTER TABLE directory_entries ADD COLUMN org_file TEXT;
ALTER TABLE directory_entries ADD COLUMN org_row INTEGER;
ALTER TABLE tracked_emails ADD COLUMN org_file TEXT;
ALTER TABLE tracked_emails ADD COLUMN org_row INTEGER;
`,
  },
  {
    version: 5,
    name: 'pst-and-graph-sources',
    // Issue 16: PST/OST files and Exchange Online (Microsoft Graph) pulls become sources. SQLite cannot
    // alter a CHECK, so sources is rebuilt under the same name with the same ids (copied aside, dropped,
    // re-created, copied back: no RENAME, which would rewrite messages' REFERENCES to the old name), and
    // defer_foreign_keys lets the rows be absent for a moment inside the migration's transaction. This depends
    // only on the tables of migrations 1–3, so it applies after migration 4 whatever 4 adds.
    // A PST item or a Graph message has no byte range of RFC 5322 text in a file the workspace could read
    // again, so its message bytes (synthesized from the PST item, or the MIME Graph returned) are kept in
    // message_bytes, with how they were made: origin 'pst-transport-headers' (the item's
    // PidTagTransportMessageHeaders), 'pst-mapi-properties' (headers mapped from MAPI properties) or
    // 'graph-mime' (/messages/{id}/$value); item_ref is the PST node id or the Graph message id.
    // connector_state keeps what a pull needs to resume or continue incrementally (Graph delta links,
    // a saved @odata.nextLink): opaque service state, never a credential.
    sql: `
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE sources_before_v5 AS SELECT id, path, kind, size, mtime_ms, first_imported_at FROM sources;
DROP TABLE sources;
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('eml', 'mbox', 'maildir', 'msg', 'pst', 'ost', 'graph')),
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  first_imported_at TEXT NOT NULL
);
INSERT INTO sources (id, path, kind, size, mtime_ms, first_imported_at) SELECT id, path, kind, size, mtime_ms, first_imported_at FROM temp.sources_before_v5;
DROP TABLE temp.sources_before_v5;

CREATE TABLE message_bytes (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  origin TEXT NOT NULL CHECK (origin IN ('pst-transport-headers', 'pst-mapi-properties', 'graph-mime')),
  item_ref TEXT,
  bytes BLOB NOT NULL
);

CREATE TABLE connector_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'all-in-reply-to-ids-and-received-dates',
    // SIMULATOR §8 points 15 and 2 choose among several In-Reply-To ids and Received dates; a message that
    // has several keeps them all (JSON arrays, in header order), NULL otherwise. Messages imported before
    // this migration keep their single value until imported again.
    sql: `
ALTER TABLE messages ADD COLUMN in_reply_to_all TEXT;
ALTER TABLE messages ADD COLUMN received_all TEXT;
`,
  },
];
