import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A global account id: 24 lowercase hex characters, like an Atlassian account id. */
export function newAccountId(): string {
  return randomBytes(12).toString('hex');
}

/** A portal-only customer id in Atlassian's `qm:<uuid>:<hex>` shape. */
export function newCustomerId(): string {
  return `qm:${randomUUID()}:${randomBytes(12).toString('hex').slice(0, 23)}`;
}

/** A random uuid for rows that need no special shape. */
export function newId(): string {
  return randomUUID();
}

/** A secret of 256 random bits, URL-safe; shown once, stored only as `hashSecret(secret)`. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a high-entropy secret (tokens, API keys, session ids); not for passwords. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const ACCOUNT_ID_PATTERN = /^[0-9a-f]{24}$/;
export const CUSTOMER_ID_PATTERN = /^qm:[0-9a-f-]{36}:[0-9a-f]{1,32}$/;

/** A per-site user key; a migration gives the account a new one. */
export function newUserKey(): string {
  return `JIRAUSER-${randomBytes(8).toString('hex')}`;
}
