import type { LoggerService } from '@nestjs/common';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { currentContext } from '../context/request-context.js';

/** One JSON line per event, carrying the request id of the unit of work it belongs to. */
export function createRootLogger(level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { pid: process.pid, role: process.env.ROLE ?? 'all' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const ctx = currentContext();
      return ctx ? { requestId: ctx.requestId } : {};
    },
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** Adapts pino to Nest's LoggerService so framework logs come out as the same JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    const ctx = context ?? traceOrContext;
    const trace = context ? traceOrContext : undefined;
    if (message instanceof Error) {
      this.logger.error({ context: ctx, err: message }, message.message);
      return;
    }
    this.logger.error({ context: ctx, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    context?: string,
  ) {
    if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}
