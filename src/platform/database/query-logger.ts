import { Logger as NestLogger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { Logger, QueryRunner } from 'typeorm';
import { currentContext } from '../context/request-context.js';
import { targetOf } from './read-router.js';

const WRITE_STATEMENT =
  /^\s*(INSERT|UPDATE|DELETE|MERGE|START TRANSACTION|BEGIN|COPY|CALL|CREATE|ALTER|DROP|TRUNCATE)\b/i;

/**
 * TypeORM's hook into every statement: counts statements by the server that runs them, and
 * remembers when the unit of work has written so that its later reads stay on the primary.
 */
export class QueryLogger implements Logger {
  private readonly logger = new NestLogger('SQL');

  constructor(private readonly queries: Counter<string>) {}

  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    const target = targetOf(
      (queryRunner as { databaseConnection?: object } | undefined)?.databaseConnection,
    );
    this.queries.inc({ target });
    const ctx = currentContext();
    if (!ctx) return;
    ctx.queries[target]++;
    if (target === 'primary' && WRITE_STATEMENT.test(query)) ctx.wrotePrimary = true;
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ msg: 'query failed', error: String(error), query: query.slice(0, 500) });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: 'slow query', ms: time, query: query.slice(0, 500) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
