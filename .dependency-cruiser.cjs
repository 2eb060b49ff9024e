/** Layer rules from docs/ARCHITECTURE.md: edges → domain → db/queries → db/client; shared and config depend on nothing. */
module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'runtime cycles only: a cycle through a type-only import is erased at compile time', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    { name: 'shared-is-a-leaf', severity: 'error', from: { path: '^src/shared' }, to: { path: '^src/(?!shared)' } },
    { name: 'config-is-a-leaf', severity: 'error', from: { path: '^src/config' }, to: { path: '^src/(?!shared|config)' } },
    { name: 'only-main-imports-app', severity: 'error', from: { path: '^src/(?!main\\.ts|app/|test/|cli/)' }, to: { path: '^src/app/' } },
    { name: 'domain-has-no-http', severity: 'error', from: { path: '^src/domain' }, to: { path: '^src/(api|admin|portal|app|cli)/|node_modules/(hono|@hono)' } },
    { name: 'db-has-no-domain', severity: 'error', from: { path: '^src/db' }, to: { path: '^src/(domain|api|admin|portal|jobs|app|cli)/' } },
    { name: 'domain-uses-queue-seam', severity: 'error', from: { path: '^src/domain' }, to: { path: 'node_modules/pg-boss|^src/jobs/(?!queue\\.ts)' } },
    { name: 'edges-do-not-cross', severity: 'error', from: { path: '^src/(api|admin|portal)/' }, to: { path: '^src/(cli)/' } },
    { name: 'api-imports-no-other-edge', severity: 'error', from: { path: '^src/api/' }, to: { path: '^src/(admin|portal)/' } },
    { name: 'admin-imports-no-other-edge', severity: 'error', from: { path: '^src/admin/' }, to: { path: '^src/(api|portal)/' } },
    { name: 'portal-imports-no-other-edge', severity: 'error', from: { path: '^src/portal/' }, to: { path: '^src/(api|admin)/' } },
    { name: 'edges-call-use-cases', comment: 'api, admin, portal and cli reach the database only through domain use cases (type-only imports of row types are fine)', severity: 'error', from: { path: '^src/(api|admin|portal|cli|web)/' }, to: { path: '^src/db/', dependencyTypesNot: ['type-only'] } },
    { name: 'web-is-below-the-edges', severity: 'error', from: { path: '^src/web/' }, to: { path: '^src/(api|admin|portal|jobs|cli|app)/' } }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '\\.test\\.tsx?$' }
  }
};
