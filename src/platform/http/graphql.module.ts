import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
// Not the package's ESM build: it imports graphql/index.mjs, a second graphql instance beside the
// CommonJS one Mercurius builds the schema with ("from another module or realm" on every query).
import complexity, { type ComplexityEstimator } from 'graphql-query-complexity/cjs';

const { getComplexity, simpleEstimator } = complexity;

/** A list field costs its page size times the cost of one item. */
const pagedListEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + childComplexity * Math.max(1, args.first) : undefined;
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

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
        context: (request: FastifyRequest, reply: FastifyReply) => ({ req: request, reply }),
        hooks: {
          preExecution: (schema, document, _context, variables) => {
            const complexity = getComplexity({
              schema,
              query: document,
              variables: (variables ?? {}) as Record<string, unknown>,
              estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
            if (complexity > config.graphql.maxComplexity) {
              throw new mercurius.ErrorWithProps(
                `Query cost ${complexity} exceeds the limit of ${config.graphql.maxComplexity}`,
                {
                  code: 'graphql.too_complex',
                  cost: complexity,
                  limit: config.graphql.maxComplexity,
                },
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
