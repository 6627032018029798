// The org loader (issue 13, SIMULATOR §9): Dataverse exports (Web API JSON, Excel / Advanced Find CSV) →
// normalized rows → the directory, mailboxes, tracked emails and settings the engine and the audit read.
// Pure; core/node/org reads the files and core/node/workspace/org.ts stores the result.
export * from './types.js';
export * from './choices.js';
export { ORG_TABLES, TABLES, tableByName, tableSpec, type OrgTable, type TableSpec, type ColumnSpec } from './tables.js';
export { parseOrgRows, readDate, type ParseRowsOptions, type RowShape } from './parseRows.js';
export { parseOrgFile, orgResultFromRows, OrgFileError, type OrgFileResult, type ParseFileOptions } from './parseFile.js';
export { readOrgDbOrgSettings, readOrganizationColumns, organizationSettingColumns, type SettingsRead } from './orgSettings.js';
export { assembleOrg, latestRecords, refOf, conversationIndexBase64, type AssembledOrg, type OrgMailboxConfig } from './assemble.js';
export { whyNothingTracked, whyNothingTrackedFromCounts, nothingTrackedLines, type NothingTracked, type NothingTrackedInput, type NothingTrackedReason } from './nothingTracked.js';
