#!/usr/bin/env node
// Runs the TypeScript entry through tsx, so the package works from a checkout without a build step.
// CommonJS on purpose (bin/package.json): argon2 hashes run on libuv's thread pool, whose size is fixed the first
// time it is used, and an ES-module entry is itself read through that pool. Here the size is set first: one
// thread per core (more would only make hashes and the event loop fight over the same cores).
const { availableParallelism } = require('node:os');

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
import('tsx/esm/api').then(({ register }) => {
  register();
  return import('../src/main.ts');
});
