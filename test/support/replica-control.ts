import { execFileSync } from 'node:child_process';
import type pg from 'pg';
import { eventually } from './eventually.js';

/** Stops / starts the real streaming replica (scripts/replica.sh). */
export function replicaCtl(action: 'stop' | 'start'): void {
  execFileSync('bash', ['scripts/replica.sh', action], { stdio: 'pipe' });
}

/** Pauses WAL replay on the replica: it stays up but stops seeing new writes. */
export async function pauseReplay(replica: pg.Pool): Promise<void> {
  await replica.query('SELECT pg_wal_replay_pause()');
  await eventually(async () => {
    const { rows } = await replica.query<{ s: string }>(
      'SELECT pg_get_wal_replay_pause_state() AS s',
    );
    if (rows[0].s !== 'paused') throw new Error(rows[0].s);
  });
}

export async function resumeReplay(replica: pg.Pool): Promise<void> {
  await replica.query('SELECT pg_wal_replay_resume()');
}

/** Waits until the replica has replayed everything the primary has written so far. */
export async function waitForReplayCatchUp(primary: pg.Pool, replica: pg.Pool): Promise<void> {
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  await eventually(async () => {
    const r = await replica.query<{ ok: boolean }>(
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
      [rows[0].lsn],
    );
    if (!r.rows[0].ok) throw new Error('replica behind');
  });
}
