import { spawnSync } from 'node:child_process';
import { DIST } from '../support/app-process.js';
import { appEnv } from '../support/test-env.js';

/**
 * Entities and migrations must agree: on the migrated test database, the SQL TypeORM would
 * generate to match the entities is empty. A new column without its migration fails here.
 */
describe('schema drift', () => {
  it('finds nothing to change after the migrations ran', () => {
    const run = spawnSync(process.execPath, [`${DIST}/src/cli/schema-drift.js`], {
      env: appEnv(),
      encoding: 'utf8',
    });
    expect(run.stderr).not.toContain('disagree');
    expect(run.stdout).toContain('entities and migrations agree');
    expect(run.status).toBe(0);
  });
});
