import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verify, for unknown emails (no enumeration by timing). */
  verifyDummy(password: string): Promise<void>;
}

/** Argon2id with OWASP's second recommended setting (m=19 MiB, t=2, p=1); memory is configurable for tests. */
export function createPasswordHashing(memoryCost: number): PasswordHashing {
  const options = { algorithm: ARGON2ID, memoryCost, timeCost: 2, parallelism: 1 };
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummyHash ??= hash('gatehouse-dummy-password-for-timing', options);
      await verify(await dummyHash, password).catch(() => false);
    },
  };
}
