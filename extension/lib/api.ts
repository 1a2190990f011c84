// A small typed client of the Casebook service API (DESIGN.md "Other API" and "Sync protocol"):
// only the background uses it.
import type {
  ApiError as ApiErrorBody, HealthResponse, HoldingsResponse, MeResponse, Mutation, PullResponse, PushRequest, PushResponse, RevokedResponse, TokenRequest, TokenResponse,
} from '../../shared/api.ts';

/** A failed call: `status` 0 means the service could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From Retry-After, in milliseconds, when the service asked us to wait. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get offline(): boolean { return this.status === 0; }
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Who the token belongs to and their libraries (GET /api/v1/me). */
export type Me = MeResponse;

export class Api {
  constructor(
    readonly serverUrl: string,
    private readonly token: string | null,
    // Wrapped: a bare `fetch` called as a method throws "Illegal invocation" in a worker.
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.serverUrl).href, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'offline', `Cannot reach ${this.serverUrl} (${error instanceof Error ? error.message : 'network error'}).`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    if (!response.ok) {
      const error = (parsed as ApiErrorBody | null)?.error;
      throw new ApiError(response.status, error?.code ?? `http-${response.status}`,
        error?.message ?? `The service answered ${response.status}.`, parseRetryAfter(response.headers.get('retry-after')));
    }
    return parsed as T;
  }

  health() { return this.call<HealthResponse>('GET', '/api/v1/health'); }
  me() { return this.call<Me>('GET', '/api/v1/me'); }
  createToken(email: string, password: string, label: string) {
    const body: TokenRequest = { email, password, label };
    return this.call<TokenResponse>('POST', '/api/v1/tokens', body);
  }
  revokeToken() { return this.call<RevokedResponse>('DELETE', '/api/v1/tokens/current'); }
  push(libraryId: string, clientId: string, mutations: Mutation[]) {
    const body: PushRequest = { clientId, mutations };
    return this.call<PushResponse>('POST', `/api/v1/libraries/${encodeURIComponent(libraryId)}/sync/push`, body);
  }
  pull(libraryId: string, since: number, limit = 500) {
    return this.call<PullResponse>('GET', `/api/v1/libraries/${encodeURIComponent(libraryId)}/sync/pull?since=${since}&limit=${limit}`);
  }
  /** Counts of clips and scans for a site, its companies and recent clips (service/routes/holdings.ts). */
  holdings(libraryId: string, domain: string) {
    return this.call<HoldingsResponse>('GET',
      `/api/v1/libraries/${encodeURIComponent(libraryId)}/holdings?domain=${encodeURIComponent(domain)}`);
  }
}
