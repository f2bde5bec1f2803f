/**
 * Names of the metrics Scaleshop exports. docker/prometheus rules and the Grafana dashboard use
 * these names; a test checks that a running instance exports each one.
 */
export const METRIC = {
  httpDuration: 'http_request_duration_seconds',
  cacheRequests: 'scaleshop_cache_requests_total',
  cacheInvalidations: 'scaleshop_cache_invalidations_total',
  dbQueries: 'scaleshop_db_queries_total',
  dbPoolConnections: 'scaleshop_db_pool_connections',
  replicaLag: 'scaleshop_replica_lag_seconds',
  replicaHealthy: 'scaleshop_replica_healthy',
  queueJobs: 'scaleshop_queue_jobs',
  jobDuration: 'scaleshop_job_duration_seconds',
  outboxBacklog: 'scaleshop_outbox_backlog',
  outboxPublished: 'scaleshop_outbox_published_total',
} as const;
