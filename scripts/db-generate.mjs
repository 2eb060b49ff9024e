// Generates SQL migrations from src/db/schema with drizzle-kit.
// Usage: npm run db:generate -- <kebab-name>
import { execFileSync } from 'node:child_process';

const name = process.argv[2] ?? 'change';
execFileSync('npx', ['drizzle-kit', 'generate', '--name', name], { stdio: 'inherit' });
