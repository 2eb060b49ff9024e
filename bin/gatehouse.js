#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`). A checkout without dist/ builds it once.
import { existsSync } from 'node:fs';
import module from 'node:module';

// V8 keeps the compiled code of dist/ and node_modules on disk (Node ≥ 22.1): later starts skip most parsing.
module.enableCompileCache?.();

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  const { build } = await import('../scripts/build.mjs');
  await build();
}
await import(entry.href);
