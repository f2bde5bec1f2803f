import { cpuSecondsOf } from './processes.js';

/** A process whose CPU and memory a scenario reports. */
export interface Tracked {
  name: string;
  pid: number | undefined;
  memory(): { rssMb: number; peakMb: number } | undefined;
}

/** One process's use of the machine while one side of a scenario was under load. */
export interface ProcessUsage {
  name: string;
  /** CPU seconds (user + system) used during the measured runs, and that per second of load. */
  cpuSeconds: number;
  cores: number;
  /** RSS before the first run, the highest sampled under load, and the kernel's peak (VmHWM). */
  idleRssMb: number;
  maxRssMb: number;
  peakMb: number;
}

/**
 * CPU and RSS of some processes across the measured runs of one side: `begin`/`end` around each
 * run (CPU deltas from /proc/<pid>/stat, summed), `sample` about every 500 ms under load.
 */
export class UsageTracker {
  private readonly cpu = new Map<Tracked, number>();
  private readonly start = new Map<Tracked, number>();
  private readonly idle = new Map<Tracked, number>();
  private readonly max = new Map<Tracked, number>();
  private loadSeconds = 0;
  private startedMs = 0;

  constructor(private readonly processes: Tracked[]) {
    for (const p of processes) {
      const rss = p.memory()?.rssMb ?? 0;
      this.idle.set(p, rss);
      this.max.set(p, rss);
      this.cpu.set(p, 0);
    }
  }

  begin(): void {
    this.startedMs = Date.now();
    for (const p of this.processes) this.start.set(p, cpuSecondsOf(p.pid) ?? 0);
  }

  sample(): void {
    for (const p of this.processes) {
      this.max.set(p, Math.max(this.max.get(p) ?? 0, p.memory()?.rssMb ?? 0));
    }
  }

  end(): void {
    this.sample();
    this.loadSeconds += (Date.now() - this.startedMs) / 1000;
    for (const p of this.processes) {
      const now = cpuSecondsOf(p.pid) ?? this.start.get(p) ?? 0;
      this.cpu.set(p, (this.cpu.get(p) ?? 0) + now - (this.start.get(p) ?? 0));
    }
  }

  result(): ProcessUsage[] {
    return this.processes.map((p) => {
      const cpuSeconds = this.cpu.get(p) ?? 0;
      const max = this.max.get(p) ?? 0;
      return {
        name: p.name,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        cores: this.loadSeconds ? Math.round((cpuSeconds / this.loadSeconds) * 100) / 100 : 0,
        idleRssMb: this.idle.get(p) ?? 0,
        maxRssMb: max,
        peakMb: p.memory()?.peakMb ?? max,
      };
    });
  }
}
