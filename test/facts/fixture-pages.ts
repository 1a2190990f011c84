// The real pages of ../shared/fixtures (when present) with the address each was saved from:
// its <base href> (webstruct saved one in most pages), trafilatura's evaldata key, else a
// stand-in on example.com. Read by the fuzz test and by bench/facts.ts; never copied.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const fixturesDir = join(import.meta.dirname, '../../../shared/fixtures');

export interface FixturePage {
  /** Folder and file, e.g. company-dev/nl-01.html. */
  name: string;
  path: string;
  url: string;
  set: 'company-dev' | 'company-annotated' | 'readability' | 'trafilatura-dev';
}

/** The page's own address as saved in it: <base href>, else its canonical link or og:url; '' when none. */
export function baseHref(html: string): string {
  const head = html.slice(0, 30_000);
  for (const re of [/<base\s[^>]*href\s*=\s*["']([^"']+)["']/i, /<link\s[^>]*rel\s*=\s*["']canonical["'][^>]*href\s*=\s*["']([^"']+)["']/i, /<meta\s[^>]*property\s*=\s*["']og:url["'][^>]*content\s*=\s*["']([^"']+)["']/i]) {
    const href = re.exec(head)?.[1] ?? '';
    if (/^https?:\/\//i.test(href)) return href;
  }
  return '';
}

export function fixturePages(): FixturePage[] {
  if (!existsSync(fixturesDir)) return [];
  const pages: FixturePage[] = [];
  const folder = (set: FixturePage['set'], dir: string, fallback: (file: string) => string) => {
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.html')).sort()) {
      const path = join(dir, file);
      pages.push({ name: `${set}/${file}`, path, url: baseHref(readFileSync(path, 'utf8')) || fallback(file), set });
    }
  };
  folder('company-dev', join(fixturesDir, 'company-dev'), (file) => `https://www.example.com/${file}`);
  folder('company-annotated', join(fixturesDir, 'company-annotated/pages'), (file) => `https://www.example.com/${file}`);
  const trafilatura = join(fixturesDir, 'trafilatura-dev');
  if (existsSync(join(trafilatura, 'evaldata.json'))) {
    const byFile = new Map<string, string>();
    const evaldata = JSON.parse(readFileSync(join(trafilatura, 'evaldata.json'), 'utf8')) as Record<string, { file: string }>;
    for (const [url, entry] of Object.entries(evaldata)) byFile.set(entry.file, /^https?:\/\//.test(url) ? url : `https://example.com/${entry.file}`);
    folder('trafilatura-dev', join(trafilatura, 'pages'), (file) => byFile.get(file) ?? `https://example.com/${file}`);
  }
  const readability = join(fixturesDir, 'readability');
  if (existsSync(readability)) {
    for (const name of readdirSync(readability).sort()) {
      const path = join(readability, name, 'source.html');
      if (existsSync(path)) pages.push({ name: `readability/${name}`, path, url: 'http://fakehost/test/page.html', set: 'readability' });
    }
  }
  return pages;
}
