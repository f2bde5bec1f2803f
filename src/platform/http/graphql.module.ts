import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
// Not the package's ESM build: it imports graphql/index.mjs, a second graphql instance beside the
// CommonJS one Mercurius builds the schema with ("from another module or realm" on every query).
import complexity, { type ComplexityEstimator } from 'graphql-query-complexity/cjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const { getComplexity, simpleEstimator, fieldExtensionsEstimator } = complexity;

/** A list field costs its page size times the cost of one item. */
const pagedListEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + childComplexity * Math.max(1, args.first) : undefined;

/** Mercurius reports a depth violation without a code; give it a stable one like the others. */
function isDepthError(error: unknown): boolean {
  const nested = (error as { originalError?: { errors?: { code?: string }[] } }).originalError;
  return nested?.errors?.some((e) => e.code === 'MER_ERR_GQL_QUERY_DEPTH') ?? false;
}

/**
 * Code-first GraphQL at /graphql on Mercurius. Depth is capped by Mercurius; cost is computed
 * before execution and an over-budget query is refused with a typed error.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MercuriusDriverConfig => ({
        autoSchemaFile: true,
        sortSchema: true,
        path: '/graphql',
        graphiql: false,
        queryDepth: config.graphql.maxDepth,
        // Field resolvers go through the exception filter too, so their errors are typed and
        // never reach the client raw.
        fieldResolverEnhancers: ['filters'],
        context: (request: FastifyRequest, reply: FastifyReply) => ({ req: request, reply }),
        errorFormatter: (execution, context) => {
          const formatted = mercurius.defaultErrorFormatter(execution, context);
          if (execution.errors?.some(isDepthError)) {
            for (const error of formatted.response.errors ?? []) {
              Object.assign(error, {
                extensions: {
                  ...error.extensions,
                  code: 'graphql.too_deep',
                  limit: config.graphql.maxDepth,
                },
              });
            }
          }
          return formatted;
        },
        hooks: {
          preExecution: (schema, document, _context, variables) => {
            const cost = getComplexity({
              schema,
              query: document,
              variables: (variables ?? {}) as Record<string, unknown>,
              estimators: [
                fieldExtensionsEstimator(),
                pagedListEstimator,
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            });
            if (cost > config.graphql.maxComplexity) {
              throw new mercurius.ErrorWithProps(
                `Query cost ${cost} exceeds the limit of ${config.graphql.maxComplexity}`,
                { code: 'graphql.too_complex', cost, limit: config.graphql.maxComplexity },
                400,
              );
            }
          },
        },
      }),
    }),
  ],
})
export class GraphqlPlatformModule {}
