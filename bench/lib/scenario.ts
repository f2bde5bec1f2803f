import type { ScenarioResult } from './report.js';
import { deadServers, say, servers, settings } from './stack.js';

const startedMs = Date.now();

/** Seconds a scenario of `rounds` A/B rounds takes at the configured run lengths. */
export const abSeconds = (rounds = settings.rounds) =>
  rounds * 2 * settings.seconds + 2 * settings.warmupSeconds + 15;

export type ScenarioBase = Omit<ScenarioResult, 'notes'>;

/**
 * Runs `body` unless the time budget would be spent; a skipped scenario says why, a failed one
 * (an error, a check, a server that died under it) is marked failed and gets no ratio.
 */
export async function scenario(
  base: ScenarioBase,
  expectedSeconds: number,
  body: (result: ScenarioResult) => Promise<void>,
): Promise<ScenarioResult> {
  const result: ScenarioResult = { ...base, notes: [] };
  if ((Date.now() - startedMs) / 1000 + expectedSeconds > settings.maxSeconds) {
    result.skipped = `time budget of ${settings.maxSeconds} s (BENCH_MAX_SECONDS)`;
    return result;
  }
  say(`\n${base.id}: ${base.title}`);
  try {
    await body(result);
  } catch (err) {
    // Reported, not swallowed: the scenario is marked failed and the run exits non-zero.
    result.failed = err instanceof Error ? err.message : String(err);
    say(`  failed: ${result.failed}`);
  }
  for (const s of deadServers()) {
    result.failed = `${s.child.name} exited (${s.child.exitCode}) during the runs`;
    result.notes.push(`${s.child.name} output: ${s.child.logs.slice(-500)}`);
    servers.delete(s); // it fails this scenario, not every later one
  }
  if (result.subject && result.baseline && !result.failed && !result.noRatio) {
    result.ratio = result.subject.requestsPerSec / result.baseline.requestsPerSec;
    say(
      `  ratio ${result.ratio.toFixed(2)}× (budget ${result.budget ?? result.budgetText ?? '–'})`,
    );
  }
  return result;
}
