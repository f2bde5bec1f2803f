import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadSummary } from './load.js';
import type { ProcessUsage } from './usage.js';

export interface ScenarioResult {
  /** The dispatcher's name of the scenario (`uncached-list`). */
  id: string;
  title: string;
  measures: string;
  subjectLabel: string;
  baselineLabel: string;
  /** What one connection cycles through, e.g. the first path. */
  sample: string;
  requestCount: number;
  /** Lowest acceptable subject/baseline throughput ratio (DESIGN.md), when there is one. */
  budget?: number;
  /** A budget that is no ratio (attempts/s, oversold), as DESIGN.md words it. */
  budgetText?: string;
  subject?: LoadSummary;
  baseline?: LoadSummary;
  ratio?: number;
  /** Why the scenario has a subject but no ratio (its baseline cannot be one process). */
  noRatio?: string;
  /** Whether subject and baseline answered the first request with identical bytes / equal JSON. */
  sameBytes?: boolean;
  sameJson?: boolean;
  subjectUsage?: ProcessUsage[];
  baselineUsage?: ProcessUsage[];
  /** From the API's /metrics right after the runs: V8 heap in use and allocated, and external. */
  apiHeap?: { usedMb: number; totalMb: number; externalMb: number };
  skipped?: string;
  /** Why the scenario has no valid result (a server died, a request failed, stock oversold). */
  failed?: string;
  notes: string[];
}

export interface BenchReport {
  /** What was run (`all`, `flash-sale`, …): the reports' file name prefix. */
  name: string;
  startedAt: string;
  durationS: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  config: { rounds: number; seconds: number; warmupSeconds: number; connections: number };
  databases: string[];
  scenarios: ScenarioResult[];
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));
const usage = (u?: ProcessUsage[]) =>
  u?.map((p) => `${p.name} ${fmt(p.cores, 2)}`).join(', ') ?? '–';
const rss = (u?: ProcessUsage[]) =>
  u?.map((p) => `${p.name} ${fmt(p.idleRssMb, 0)} → ${fmt(p.maxRssMb, 0)}`).join(', ') ?? '–';

/** The summary table: one row per side of every scenario. */
export function summaryTable(scenarios: ScenarioResult[]): string[] {
  const lines = [
    '| scenario | server | req/s | p50 ms | p99 ms | errors | non-2xx | ratio | budget | CPU cores | RSS MB idle → max |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const s of scenarios) {
    if (s.skipped || s.failed || !s.subject) {
      const why = s.failed ? `**failed**: ${s.failed}` : `skipped: ${s.skipped ?? 'no result'}`;
      lines.push(`| ${s.id} | ${why.replace(/\n/g, ' ').slice(0, 300)} | | | | | | | | | |`);
      continue;
    }
    let budget = s.budgetText ?? '–';
    if (s.budget !== undefined && s.ratio !== undefined)
      budget = `≥ ${s.budget}× ${s.ratio >= s.budget ? '**met**' : '**missed**'}`;
    const ratio = s.ratio !== undefined ? `${fmt(s.ratio, 2)}×` : 'none';
    const row = (label: string, l: LoadSummary) =>
      `${label} | ${fmt(l.requestsPerSec, 0)} | ${l.p50Ms} | ${l.p99Ms} | ${l.errors} | ${l.non2xx}`;
    lines.push(
      `| ${s.id} | ${row(s.subjectLabel, s.subject)} | ${ratio} | ${budget} | ${usage(s.subjectUsage)} | ${rss(s.subjectUsage)} |`,
    );
    if (s.baseline) {
      lines.push(
        `| | ${row(s.baselineLabel, s.baseline)} | 1.00× | | ${usage(s.baselineUsage)} | ${rss(s.baselineUsage)} |`,
      );
    }
  }
  return lines;
}

function markdown(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `# Bench \`${r.name}\`, ${r.startedAt}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${fmt(m.memoryGb)} GB RAM, Node ${m.node}, PostgreSQL ${m.postgres} (primary and replica on this machine).`,
    `Load average (1/5/15 min) at start ${m.loadAverageStart.map((n) => fmt(n, 2)).join(' / ')}, at end ${m.loadAverageEnd.map((n) => fmt(n, 2)).join(' / ')}. The ${m.cpus} cores are shared by PostgreSQL, Redis, nginx, autocannon and the servers measured: compare ratios, not absolute figures.`,
    `Runs: ${r.config.rounds} rounds × (subject, baseline) of ${r.config.seconds} s each after ${r.config.warmupSeconds} s of warm-up per side, ${r.config.connections} connections for reads; databases ${r.databases.map((d) => `\`${d}\``).join(', ')}. Total ${fmt(r.durationS, 0)} s.`,
    'CPU cores: CPU seconds (utime + stime from /proc/<pid>/stat) per second of load over the measured runs. RSS: before the first run → highest sampled under load.',
    '',
    ...summaryTable(r.scenarios),
    '',
    '## Scenarios',
    '',
  ];
  for (const s of r.scenarios) {
    lines.push(`### ${s.id}: ${s.title}`, '', s.measures, '');
    lines.push(`Requests cycled by every connection: ${s.requestCount}, e.g. \`${s.sample}\`.`);
    if (s.noRatio) lines.push(`No ratio: ${s.noRatio}`);
    if (s.sameJson !== undefined) {
      const yes = (b?: boolean) => (b ? 'yes' : 'no');
      lines.push(
        `Both servers answer the same JSON: ${yes(s.sameJson)}; the same bytes: ${yes(s.sameBytes)}.`,
      );
    }
    if (s.apiHeap) {
      lines.push(
        `API memory after the runs: V8 heap ${fmt(s.apiHeap.usedMb, 0)} MB used of ${fmt(s.apiHeap.totalMb, 0)} MB, external ${fmt(s.apiHeap.externalMb, 0)} MB.`,
      );
    }
    for (const u of [...(s.subjectUsage ?? []), ...(s.baselineUsage ?? [])]) {
      lines.push(
        `- ${u.name}: ${fmt(u.cpuSeconds, 1)} CPU s (${fmt(u.cores, 2)} cores), RSS ${fmt(u.idleRssMb, 0)} → ${fmt(u.maxRssMb, 0)} MB, peak ${fmt(u.peakMb, 0)} MB`,
      );
    }
    for (const note of s.notes) lines.push(`- ${note}`);
    if (s.subject) {
      const codes = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([k, n]) => `${k}×${n}`)
          .join(' ');
      lines.push(
        '',
        '| round | subject req/s | p99 ms | status codes | baseline req/s | p99 ms | status codes |',
        '| ---: | ---: | ---: | --- | ---: | ---: | --- |',
      );
      s.subject.runs.forEach((run, i) => {
        const base = s.baseline?.runs[i];
        lines.push(
          `| ${i + 1} | ${fmt(run.requestsPerSec, 0)} | ${run.p99Ms} | ${codes(run.statusCodes)} | ${fmt(base?.requestsPerSec, 0)} | ${base?.p99Ms ?? '–'} | ${base ? codes(base.statusCodes) : '–'} |`,
        );
      });
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/<name>-<timestamp>.json` and `.md`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${report.name}-${stamp}.json`);
  const md = join(dir, `${report.name}-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  return { json, md };
}
