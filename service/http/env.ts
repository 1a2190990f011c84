// Types shared by the app and its route modules: what a request carries once authenticated.
import type { Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import type { User } from '../repos/accounts.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface AppConfig {
  /** Prints one line per request (method, path, status, time; never headers or tokens). */
  log: boolean;
  /** Attempts per minute of password sign-in per address and e-mail. */
  signinPerMinute: number;
  /** API requests per minute per token. */
  requestsPerMinute: number;
  /** Where the built extension lives, for the first-start message and the web library. */
  extensionDir?: string;
  /** Base URL of the web library, for links printed or mailed. */
  publicUrl?: string;
  /** Proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDRs); default $CASEBOOK_TRUST_PROXY. */
  trustProxy?: string;
  /** SMTP server for recovery and invitation mails (smtp://user:pass@host:port); default $CASEBOOK_SMTP_URL. */
  smtpUrl?: string;
  /** Sender of those mails; default $CASEBOOK_MAIL_FROM or casebook@<public host>. */
  mailFrom?: string;
  /** How often the e-mail digest runs while SMTP is configured (ms; 0 = never; default 5 minutes). */
  digestEveryMs?: number;
}

export const DEFAULT_CONFIG: AppConfig = {
  log: false,
  signinPerMinute: 10,
  requestsPerMinute: 6_000,
};

export interface Services {
  /** The store, chosen once at start; db is its kysely instance. */
  store: Store;
  db: Db;
  config: AppConfig;
  limits: { signin: RateLimiter; api: RateLimiter };
}

export interface AppEnv {
  Variables: {
    services: Services;
    user: User;
    tokenId: string;
    libraryId: string;
    role: Role;
  };
}
