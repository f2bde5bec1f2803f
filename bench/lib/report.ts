import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadSummary } from './load.js';

export interface Memory {
  /** RSS before the load, the highest sampled under load, and the kernel's peak (VmHWM), in MB. */
  idleRssMb: number;
  maxRssMb: number;
  peakMb: number;
  /** From the API's /metrics right after the runs: V8 heap in use and allocated, and external. */
  heap?: { usedMb: number; totalMb: number; externalMb: number };
}

export interface ScenarioResult {
  id: string;
  title: string;
  measures: string;
  subjectLabel: string;
  baselineLabel: string;
  paths: string[];
  /** Lowest acceptable subject/baseline throughput ratio (DESIGN.md), when there is one. */
  budget?: number;
  subject?: LoadSummary;
  baseline?: LoadSummary;
  ratio?: number;
  /** Whether subject and baseline answered the first path with identical bytes / equal JSON. */
  sameBytes?: boolean;
  sameJson?: boolean;
  apiMemory?: Memory;
  baselineMemory?: Memory;
  skipped?: string;
  /** Why the scenario has no valid result (a server died, a request failed). */
  failed?: string;
  notes: string[];
}

export interface BenchReport {
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
  config: { rounds: number; seconds: number; connections: number; database: string };
  database: { products: number; activeProducts: number; seedOutput?: string };
  scenarios: ScenarioResult[];
  worker?: { startRssMb: number; endRssMb: number };
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));

function markdown(r: BenchReport): string {
  const lines = [
    `# Catalog bench, ${r.startedAt}`,
    '',
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${fmt(r.machine.memoryGb)} GB RAM, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}.`,
    `Load average (1/5/15 min) at start ${r.machine.loadAverageStart.map((n) => fmt(n, 2)).join(' / ')}, at end ${r.machine.loadAverageEnd.map((n) => fmt(n, 2)).join(' / ')} (the machine is shared: compare ratios, not absolute figures).`,
    `Runs: ${r.config.rounds} rounds × (${r.config.seconds} s subject, ${r.config.seconds} s baseline), ${r.config.connections} connections, database \`${r.config.database}\` with ${r.database.products} product documents (${r.database.activeProducts} active). Total ${fmt(r.durationS, 0)} s.`,
    '',
    '| scenario | server | req/s | mean ms | p50 ms | p99 ms | errors + non-2xx | ratio | budget | RSS MB idle → max |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const s of r.scenarios) {
    if (s.skipped || s.failed || !s.subject || !s.baseline) {
      const why = s.failed ? `failed: ${s.failed}` : `skipped: ${s.skipped ?? 'no result'}`;
      lines.push(`| ${s.id}. ${s.title} | ${why} | | | | | | | | |`);
      continue;
    }
    const budget =
      s.budget === undefined
        ? '–'
        : `≥ ${s.budget}× ${(s.ratio ?? 0) >= s.budget ? '**met**' : '**missed**'}`;
    const row = (label: string, l: LoadSummary, extra: string) =>
      `| ${label} | ${fmt(l.requestsPerSec, 0)} | ${fmt(l.meanMs, 2)} | ${l.p50Ms} | ${l.p99Ms} | ${l.errors + l.non2xx} | ${extra}`;
    const rss = (m?: Memory) => (m ? `${fmt(m.idleRssMb, 0)} → ${fmt(m.maxRssMb, 0)}` : '–');
    lines.push(
      `| ${s.id}. ${s.title} ${row(s.subjectLabel, s.subject, `${fmt(s.ratio, 2)}× | ${budget} | ${rss(s.apiMemory)} |`)}`,
      `| ${row(s.baselineLabel, s.baseline, `1.00× | | ${rss(s.baselineMemory)} |`)}`,
    );
  }
  if (r.worker) {
    lines.push(
      '',
      `Worker RSS: ${fmt(r.worker.startRssMb, 0)} MB at start, ${fmt(r.worker.endRssMb, 0)} MB at end.`,
    );
  }
  lines.push('', '## Scenarios', '');
  for (const s of r.scenarios) {
    lines.push(`### ${s.id}. ${s.title}`, '', s.measures, '');
    lines.push(`Paths (cycled by every connection): ${s.paths.length}, e.g. \`${s.paths[0]}\`.`);
    if (s.sameBytes !== undefined) {
      const yes = (b?: boolean) => (b ? 'yes' : 'no');
      lines.push(
        `Both servers answer the same JSON: ${yes(s.sameJson)}; the same bytes: ${yes(s.sameBytes)}.`,
      );
    }
    const heap = s.apiMemory?.heap;
    if (heap) {
      lines.push(
        `API memory after the runs: V8 heap ${fmt(heap.usedMb, 0)} MB used of ${fmt(heap.totalMb, 0)} MB, external ${fmt(heap.externalMb, 0)} MB; RSS peak ${fmt(s.apiMemory?.peakMb, 0)} MB.`,
      );
    }
    for (const note of s.notes) lines.push(`- ${note}`);
    if (s.subject && s.baseline) {
      lines.push(
        '',
        '| round | subject req/s | p99 ms | baseline req/s | p99 ms |',
        '| ---: | ---: | ---: | ---: | ---: |',
      );
      s.subject.runs.forEach((run, i) => {
        const base = s.baseline?.runs[i];
        lines.push(
          `| ${i + 1} | ${fmt(run.requestsPerSec, 0)} | ${run.p99Ms} | ${fmt(base?.requestsPerSec, 0)} | ${base?.p99Ms ?? '–'} |`,
        );
      });
    }
    lines.push('');
  }
  if (r.database.seedOutput) {
    lines.push('## Seed (this run)', '', '```', r.database.seedOutput.trim(), '```', '');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes bench/results/catalog-<timestamp>.json and .md; returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `catalog-${stamp}.json`);
  const md = join(dir, `catalog-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  return { json, md };
}
