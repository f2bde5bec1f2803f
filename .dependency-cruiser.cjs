/**
 * Module boundaries. A context's internals may be imported only from inside the context; from
 * outside, only its contract file (and its module file, by the composition root and the CLI).
 * The platform knows no context at all.
 */
module.exports = {
  forbidden: [
    {
      name: 'context-internals-are-private',
      comment: 'Import another context only through its <context>.contract.ts',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/[^/]+\\.contract\\.ts$'],
      },
    },
    {
      name: 'composition-root-uses-contracts-and-modules',
      comment:
        'Outside src/modules, only contracts, module files and (for the CLI) task files of contexts may be imported',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: [
          '^src/modules/[^/]+/[^/]+\\.contract\\.ts$',
          '^src/modules/[^/]+/[^/]+\\.module\\.ts$',
          '^src/modules/[^/]+/[^/]+\\.tasks\\.ts$',
        ],
      },
    },
    {
      name: 'platform-knows-no-context',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
