// Resolves the end-to-end tests' browser once, before any test process starts, and passes its path down
// in SYNCLENS_BROWSER (test processes are forked after this runs and inherit the variable). A missing
// browser is not an error here: the e2e files fail on launch with the one-line reason, the rest runs.
import { BROWSER_ENV, findBrowser } from '../e2e/support/browser.js';

export default async function setup(): Promise<void> {
  try {
    const found = await findBrowser();
    process.env[BROWSER_ENV] = found.path;
    process.stdout.write(`e2e browser: ${found.path} (${found.source})\n`);
  } catch (e) {
    process.stdout.write(`e2e browser: none (${(e as Error).message})\n`);
  }
}
