// Links the CLI prints: one place that knows the web library's sign-in path.
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8787';

export function signinUrl(base: string | undefined, secret: string): string {
  return `${(base || process.env.CASEBOOK_PUBLIC_URL || DEFAULT_PUBLIC_URL).replace(/\/$/, '')}/signin/link/${secret}`;
}
