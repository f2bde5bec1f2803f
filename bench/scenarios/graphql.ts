import type { ScenarioResult } from '../lib/report.js';
import { abSeconds, scenario } from '../lib/scenario.js';
import { compare, type Server } from '../lib/stack.js';
import { abReads, statementsPerRequest, type CatalogContext } from './catalog-reads.js';

/** The GraphQL page of DESIGN.md: 50 products with variants and categories, cache off. */

const PAGE = `query Page($first: Int!) {
  products(first: $first) {
    items {
      id name priceMinor
      variants { id sku priceMinor options }
      category { id name parent { name parent { name } } path { name } }
    }
  }
}`;
const BODY = JSON.stringify({ query: PAGE, variables: { first: 50 } });
const REQUEST = {
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: BODY,
};

export function graphql(
  ctx: CatalogContext,
  api: Server,
  baseline: Server,
): Promise<ScenarioResult> {
  return scenario(
    {
      id: 'graphql',
      title: 'GraphQL page of 50 products',
      measures:
        'POST /graphql `products(first: 50) { items { id name priceMinor variants { id sku priceMinor options } category { id name parent { name parent { name } } path { name } } } }`, cache off: the page from the documents, variants and categories through the request loaders. Baseline: the bare Fastify + pg server (bench/baselines/pg-server.ts) answering that query shape with one SQL statement over catalog.product_documents, built in JS from the documents (it does not parse GraphQL). DESIGN.md budget: at most 4 SQL statements per page.',
      subjectLabel: 'API, cache off',
      baselineLabel: 'Fastify + pg, 1 SQL, JSON built in JS',
      sample: `POST /graphql ${BODY.slice(0, 60)}…`,
      requestCount: 1,
      budgetText: '≤ 4 SQL statements per page',
    },
    abSeconds(),
    async (result) => {
      const init = { method: 'POST', headers: REQUEST.headers, body: BODY };
      const probe = (await (await fetch(`${api.url}/graphql`, init)).json()) as {
        errors?: unknown[];
      };
      if (probe.errors) throw new Error(`GraphQL errors: ${JSON.stringify(probe.errors)}`);
      Object.assign(result, await compare(api.url, baseline.url, '/graphql', init));
      if (!result.sameJson)
        result.notes.push('the answers differ as JSON: the ratio compares unequal work');
      const statements = await statementsPerRequest(api, 20, () =>
        fetch(`${api.url}/graphql`, init),
      );
      result.notes.push(statements.note);
      const met = statements.perRequest <= 4 ? 'met' : 'missed';
      result.budgetText = `≤ 4 SQL statements per page **${met}** (${statements.perRequest.toFixed(2)})`;
      await abReads(result, api, ctx.worker, baseline, [REQUEST]);
    },
  );
}
