import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { METRIC } from './metric-names.js';

/** Every metric Scaleshop defines, registered once in the process-wide registry. */
export const metricProviders = [
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'HTTP request duration by route, method and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeCounterProvider({
    name: METRIC.cacheRequests,
    help: 'Response cache lookups by result (hit, miss, bypass when Redis is unusable)',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: METRIC.cacheInvalidations,
    help: 'Cache keys deleted by tag invalidation',
    labelNames: ['tag_kind'],
  }),
  makeCounterProvider({
    name: METRIC.dbQueries,
    help: 'SQL statements by the server that ran them',
    labelNames: ['target'],
  }),
  makeGaugeProvider({
    name: METRIC.dbPoolConnections,
    help: 'Pool connections by target and state',
    labelNames: ['target', 'state'],
  }),
  makeGaugeProvider({
    name: METRIC.replicaLag,
    help: 'Replica replay lag in seconds as last measured',
    labelNames: ['replica'],
  }),
  makeGaugeProvider({
    name: METRIC.replicaHealthy,
    help: '1 when the replica is used for reads, 0 when it is taken out',
    labelNames: ['replica'],
  }),
  makeGaugeProvider({
    name: METRIC.queueJobs,
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
  }),
  makeHistogramProvider({
    name: METRIC.jobDuration,
    help: 'Job processing duration by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeGaugeProvider({
    name: METRIC.outboxBacklog,
    help: 'Unpublished outbox rows per context',
    labelNames: ['context'],
  }),
  makeCounterProvider({
    name: METRIC.outboxPublished,
    help: 'Outbox rows relayed to queues per context',
    labelNames: ['context'],
  }),
];
