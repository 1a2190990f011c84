// Plain-text rendering of proposal values (addresses, phones, registrations …) for the side panel.
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join('\n');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('street' in record || 'postalCode' in record) {
      const { street, postalCode, locality, country, role } = record as Record<string, string>;
      return [street, [postalCode, locality].filter(Boolean).join(' '), country].filter(Boolean).join(', ') + (role ? ` (${role})` : '');
    }
    if ('scheme' in record && 'value' in record) return `${String(record.scheme)} ${String(record.value)}`;
    if ('number' in record) return `${String(record.number)}${record.type && record.type !== 'phone' ? ` (${String(record.type)})` : ''}`;
    if ('name' in record) return String(record.name);
    if ('url' in record) return `${record.title ? `${String(record.title)} — ` : ''}${String(record.url)}${record.year ? ` (${String(record.year)})` : ''}`;
    return JSON.stringify(value);
  }
  return String(value);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Evidence as a person reads it (issue 10: it showed raw markup such as `<title>…</title>`):
 * a title or meta tag becomes "page title: …", other tags are dropped and entities decoded.
 * The result is rendered as text, never as HTML.
 */
export function evidenceText(snippet: string): string {
  const title = /^\s*<title[^>]*>([\s\S]*?)<\/title>\s*$/i.exec(snippet);
  if (title) return `page title: ${decode(title[1]!)}`;
  const meta = /^\s*<meta\b([^>]*)>\s*$/i.exec(snippet);
  if (meta) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(meta[1]!);
    const label = attr('property') ?? attr('name') ?? attr('itemprop');
    const content = attr('content');
    if (content) return `${label ? `${label[2] ?? label[3]}: ` : ''}${decode(content[2] ?? content[3] ?? '')}`;
  }
  return decode(snippet.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : entity;
    }
    return ENTITIES[code.toLowerCase()] ?? entity;
  }).trim();
}

/** Where a piece of evidence was found, short: the page's path, or the host for the home page. */
export function pathOf(url: string): string {
  try { const u = new URL(url); return u.pathname === '/' ? u.host : u.pathname; } catch { return url; }
}
