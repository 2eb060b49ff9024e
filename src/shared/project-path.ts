import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  // Walk up to the folder with package.json: this file runs from src/shared/ (tsx, tests) and from the
  // bundle in dist/ (npm start, the bin), so a fixed relative path would be right in only one of them.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Gatehouse: package.json not found above the running code');
    dir = parent;
  }
  return dir;
}

const ROOT = findRoot();

/** An absolute path inside the Gatehouse checkout or package (e.g. `projectPath('public')`). */
export function projectPath(...segments: string[]): string {
  return join(ROOT, ...segments);
}
