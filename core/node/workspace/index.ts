export * from './errors.js';
export * from './open.js';
export * from './repo.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export * from './profileTags.js';
export * from './org.js';
export * from './mailboxOverrides.js';
