// Converts the cleaned article DOM to Markdown with turndown's rules (run by ./markdown-walk.ts): ATX headings, fenced code with its
// language, GFM tables (first row as header), figures with captions, no empty or unsafe links.
import TurndownService from 'turndown';
import { normalizeSpace } from './dom.ts';
import { convertWithRules } from './markdown-walk.ts';

const CELL_END = '\u0002';
const ROW_START = '\u0003';

let service: TurndownService | undefined;

/**
 * Markdown for an article root element (the element itself is not emitted, only its content).
 * With `consume` the caller's throwaway tree is converted in place (whitespace outside <pre> is
 * collapsed), which saves a deep clone, a node allocation per node in linkedom.
 */
export function toMarkdown(root: Element, { consume = false }: { consume?: boolean } = {}): string {
  service ??= createService();
  return tidyMarkdown(convertWithRules(service, consume ? root : (root.cloneNode(true) as Element)));
}

function createService(): TurndownService {
  const turndown = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
    hr: '---',
    linkStyle: 'inlined',
  });
  turndown.remove(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'form', 'button', 'select', 'input', 'textarea']);

  turndown.addRule('strikethrough', {
    filter: ['del', 's'],
    replacement: (content) => (content.trim() === '' ? '' : `~~${content}~~`),
  });

  // A <pre> without <code> inside, or with a language on the <pre>, still becomes a fenced block.
  turndown.addRule('preformatted', {
    filter: (node) => node.nodeName === 'PRE',
    replacement: (_content, node) => {
      const element = node as HTMLElement;
      const code = element.textContent ?? '';
      if (code.trim() === '') return '';
      const language = codeLanguage(element) || codeLanguage(element.querySelector('code'));
      const longestFence = Math.max(2, ...Array.from(code.matchAll(/`{3,}/g), (match) => match[0].length));
      const fence = '`'.repeat(longestFence + 1);
      return `\n\n${fence}${language}\n${code.replace(/\n+$/, '')}\n${fence}\n\n`;
    },
  });

  turndown.addRule('link', {
    filter: (node) => node.nodeName === 'A',
    replacement: (content, node) => {
      const href = (node as HTMLElement).getAttribute('href') ?? '';
      const text = content.trim();
      // Empty links and links to nowhere usable add noise: keep their text only.
      if (text === '') return '';
      if (!/^(https?:|mailto:)/i.test(href)) return content;
      const title = (node as HTMLElement).getAttribute('title');
      const titlePart = title ? ` "${title.replace(/"/g, '\\"')}"` : '';
      return `[${text}](${href.replace(/[()]/g, (paren) => encodeURIComponent(paren))}${titlePart})`;
    },
  });

  turndown.addRule('image', {
    filter: (node) => node.nodeName === 'IMG',
    replacement: (_content, node) => {
      const element = node as HTMLElement;
      const src = element.getAttribute('src') ?? '';
      if (!/^https?:/i.test(src)) return '';
      const alt = normalizeSpace(element.getAttribute('alt')).replace(/[[\]]/g, '');
      return `![${alt}](${src.replace(/[()]/g, (paren) => encodeURIComponent(paren))})`;
    },
  });

  turndown.addRule('figcaption', {
    filter: (node) => node.nodeName === 'FIGCAPTION',
    replacement: (content) => (content.trim() === '' ? '' : `\n\n_${content.trim().replace(/\n+/g, ' ')}_\n\n`),
  });

  turndown.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content, node) => {
      if (isNestedTablePart(node as HTMLElement)) return ` ${content} `;
      const span = Math.min(20, Math.max(1, Number((node as HTMLElement).getAttribute('colspan')) || 1));
      const text = content.replace(/\n+/g, ' ').replace(/\|/g, '\\|').replace(/[\u0002\u0003]/g, ' ').trim();
      return text + CELL_END + CELL_END.repeat(span - 1);
    },
  });
  turndown.addRule('tableRow', {
    filter: 'tr',
    replacement: (content, node) => (isNestedTablePart(node as HTMLElement) ? ` ${content} ` : `\n${ROW_START}${content}\n`),
  });
  turndown.addRule('tableSection', {
    filter: ['thead', 'tbody', 'tfoot'],
    replacement: (content) => content,
  });
  turndown.addRule('tableCaption', {
    filter: 'caption',
    replacement: (content) => `\n${content.trim()}\n`,
  });
  turndown.addRule('table', {
    filter: 'table',
    replacement: (content, node) => (isNestedTablePart(node as HTMLElement) ? ` ${content} ` : buildTable(content)),
  });
  return turndown;
}

function codeLanguage(element: Element | null): string {
  if (!element) return '';
  const declared = element.getAttribute('data-lang') ?? element.getAttribute('data-language');
  if (declared && /^[a-z0-9+#-]{1,20}$/i.test(declared)) return declared.toLowerCase();
  const match = /(?:^|\s)(?:language-|lang-|highlight-source-|brush:\s*)([a-z0-9+#-]{1,20})/i.exec(element.getAttribute('class') ?? '');
  return match?.[1]?.toLowerCase() ?? '';
}

/** Cells of a table inside another table are flattened into the outer cell's text. */
function isNestedTablePart(node: HTMLElement): boolean {
  // Two tables among the node and its ancestors (a plain walk: closest() compiles its selector on every call in linkedom).
  let tables = 0;
  for (let current: Element | null = node; current; current = current.parentElement) if (current.localName.toLowerCase() === 'table' && ++tables === 2) return true;
  return false;
}

function buildTable(content: string): string {
  const rows: string[][] = [];
  const other: string[] = [];
  for (const line of content.split('\n')) {
    if (line.startsWith(ROW_START)) {
      const cells = line.slice(1).split(CELL_END);
      cells.pop();
      rows.push(cells.map((cell) => cell.trim()));
    } else if (line.trim() !== '') {
      other.push(line.trim());
    }
  }
  if (rows.length === 0) return other.length > 0 ? `\n\n${other.join('\n')}\n\n` : '';
  const width = Math.max(...rows.map((row) => row.length));
  const render = (row: string[]) => `| ${Array.from({ length: width }, (_, index) => row[index] ?? '').join(' | ')} |`;
  const lines = [render(rows[0] as string[]), `| ${Array.from({ length: width }, () => '---').join(' | ')} |`, ...rows.slice(1).map(render)];
  const caption = other.length > 0 ? `${other.join(' ')}\n\n` : '';
  return `\n\n${caption}${lines.join('\n')}\n\n`;
}

/** Final tidy-up: no runs of blank lines, no trailing spaces, no leftover empty links or markers. */
export function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/[\u0002\u0003]/g, '')
    .replace(/(?<!!)\[\s*\]\([^)]*\)/g, '')
    // turndown pads list markers to four columns ("-   item"); one space reads better and is still CommonMark.
    .replace(/^(\s*)(-|\d+\.) {2,}(?=\S)/gm, '$1$2 ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
