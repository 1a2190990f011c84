// Passwords (scrypt from node:crypto) and random bearer secrets stored only as hashes.
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64 } as const;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$key`, all base64url: parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * A hash of a password nobody knows, made once: an unknown e-mail, an account without a
 * password or a damaged hash is checked against it, so that every sign-in costs one scrypt and
 * its time does not tell whether the e-mail has an account (issue 9, finding 11).
 */
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

function parseHash(stored: string | null) {
  if (!stored) return undefined;
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key || !Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const real = parseHash(stored);
  const parsed = real ?? parseHash(await dummy())!;
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, parsed.salt, parsed.key.length, { ...parsed.params, maxmem: 64 * 1024 * 1024 }, (error, derived) => (error ? reject(error) : resolve(derived))),
  ).catch(() => Buffer.alloc(0));
  const same = actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
  return real !== undefined && same;
}

/** A new bearer secret with a recognisable prefix (so leaked tokens can be found by scanners). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newId(): string {
  return randomUUID();
}

export const MIN_PASSWORD_LENGTH = 10;
