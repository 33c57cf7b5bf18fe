import path from 'node:path';

/** Where the browser tests put their screenshots and the axe log (gitignored). */
export const SCREENSHOTS = path.resolve('test-results');
