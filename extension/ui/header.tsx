// The header every extension page shares: logo, page name and the signed-in library.
import type { ComponentChildren } from 'preact';

export function Header({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="app-header">
      <span class="logo" aria-hidden="true">C</span>
      <h1 class="grow">{title}</h1>
      {children}
    </header>
  );
}

/** Only http(s) links from page data become clickable: never javascript: or data: URLs. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
