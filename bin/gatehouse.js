#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`). A checkout without dist/ builds it once.
// CommonJS on purpose (bin/package.json): argon2 hashes run on libuv's thread pool, whose size is fixed the first
// time it is used, and an ES-module entry is itself read through that pool. Here the size is set first: one
// thread per core (more would only make hashes and the event loop fight over the same cores).
const { availableParallelism } = require('node:os');
const { existsSync } = require('node:fs');
const module_ = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
// V8 keeps the compiled code of dist/ and node_modules on disk (Node ≥ 22.1): later starts skip most parsing.
module_.enableCompileCache?.();

const entry = join(__dirname, '..', 'dist', 'main.js');
(async () => {
  if (!existsSync(entry)) {
    const { build } = await import(pathToFileURL(join(__dirname, '..', 'scripts', 'build.mjs')).href);
    await build();
  }
  await import(pathToFileURL(entry).href);
})();
