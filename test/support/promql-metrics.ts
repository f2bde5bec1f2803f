import { readFileSync } from 'node:fs';

/** One PromQL expression and where it was found (for readable failures). */
export interface SourcedExpr {
  source: string;
  expr: string;
}

/** Words that look like identifiers in PromQL but are operators, modifiers or literals. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * Series that exist without any instance exporting them: `up` and the scrape meta series come
 * from Prometheus' scraping, ALERTS from its rule evaluation, prometheus_* from itself.
 */
const NOT_EXPORTED = /^(up|ALERTS|ALERTS_FOR_STATE|scrape_\w+|prometheus_\w+)$/;

const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/**
 * Names of the metrics an expression reads, with histogram series (`_bucket`, `_sum`, `_count`)
 * mapped to the metric they belong to. Function names, keywords, label names and values,
 * durations, numbers and Grafana variables are not metric names and are dropped.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings (regexes, labels)
    .replace(/#[^\n]*/g, ' ') // comments
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries ([5m], [$__rate_interval], [1h:5m])
    // label lists of aggregations and vector matching: sum by (job, le), on (instance) ...
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  // Whole words not preceded by a word character, `.` or `$`: skips `m` in `5m`, `e3` in `1e3`,
  // `$job`. A word followed by `(` is a function call.
  for (const m of stripped.matchAll(/(?<![\w.$])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()/g)) {
    const word = m[0];
    if (KEYWORDS.has(word.toLowerCase()) || NOT_EXPORTED.test(word)) continue;
    names.add(word.replace(HISTOGRAM_SERIES, ''));
  }
  return [...names].sort();
}

interface DashboardPanel {
  title?: string;
  type?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: DashboardPanel[];
}

/** Every target expression of a Grafana dashboard JSON, rows' nested panels included. */
export function dashboardExprs(path: string): SourcedExpr[] {
  const dashboard = JSON.parse(readFileSync(path, 'utf8')) as { panels?: DashboardPanel[] };
  const out: SourcedExpr[] = [];
  const walk = (panels: DashboardPanel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (target.expr?.trim())
          out.push({ source: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
      }
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/**
 * Every `expr` of a Prometheus rule file, plain or block scalar (`expr: |`). A small reader
 * rather than a YAML dependency; the caller checks it found one expression per rule.
 */
export function ruleExprs(path: string): { rules: number; exprs: SourcedExpr[] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const exprs: SourcedExpr[] = [];
  let rules = 0;
  let rule = '?';
  for (let i = 0; i < lines.length; i++) {
    const named = /^\s*-?\s*(alert|record):\s*(\S+)/.exec(lines[i]);
    if (named) {
      rules++;
      rule = named[2];
    }
    const m = /^(\s*)(-\s+)?expr:\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length + (m[2]?.length ?? 0);
    let value = m[3];
    if (/^[|>][-+]?$/.test(value)) {
      const block: string[] = [];
      while (i + 1 < lines.length) {
        const next = lines[i + 1];
        if (next.trim() && next.search(/\S/) <= indent) break;
        block.push(next);
        i++;
      }
      value = block.join('\n');
    } else if (/^'.*'$/.test(value)) {
      value = value.slice(1, -1).replace(/''/g, "'");
    } else if (/^".*"$/.test(value)) {
      value = JSON.parse(value) as string;
    }
    exprs.push({ source: `rule ${rule}`, expr: value });
  }
  return { rules, exprs };
}
