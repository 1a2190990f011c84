// Turns what the capture script read from a page into the fields of a clip (shared/model.ts).
import type { ClipFields } from '../../shared/model.ts';
import { LIMITS } from '../../shared/vocabulary.ts';
import type { CapturedPage } from './engines.ts';
import type { ClipKind } from './types.ts';
import { isPdfPage } from './pdf.ts';

export interface ClipOptions {
  kind: ClipKind;
  tags: string[];
  note: string;
  caseIds: string[];
  capturedBy: string;
  capturedAt: string;
  /** For link and image clips: the link's target or the image's source. */
  targetUrl?: string;
  linkText?: string;
}

const isHttp = (value: string | undefined | null): value is string => !!value && /^https?:\/\//i.test(value);
const clamp = (value: string | undefined | null, max: number) => (value ?? '').slice(0, max);

export function wordCount(text: string): number {
  const words = text.trim().match(/\S+/g);
  return words ? words.length : 0;
}

/** Hex SHA-256 of the clipped text: lets the service and library spot the same page clipped twice. */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function buildClipFields(page: CapturedPage, options: ClipOptions): Promise<Partial<ClipFields>> {
  const article = page.article;
  const base: Partial<ClipFields> = {
    url: page.url,
    kind: options.kind,
    title: clamp(article?.title || page.pageTitle, LIMITS.shortText),
    siteName: clamp(article?.siteName, LIMITS.shortText),
    lang: clamp(article?.lang, LIMITS.lang),
    canonicalUrl: isHttp(article?.canonicalUrl) ? article.canonicalUrl : '',
    note: options.note,
    tags: options.tags,
    caseIds: options.caseIds,
    capturedAt: options.capturedAt,
    capturedBy: clamp(options.capturedBy, LIMITS.person),
  };
  let text = '';
  if ((options.kind === 'article' || options.kind === 'link') && isPdfPage(page)) {
    // A PDF tab: a clip of kind pdf with its page index (issue 16); its bytes follow as an attachment.
    const { url: _url, ...pdf } = page.pdf.fields;
    Object.assign(base, pdf, { canonicalUrl: '', siteName: '' });
    text = pdf.text || page.pdf.sha256;
  } else if (options.kind === 'article' && article) {
    Object.assign(base, {
      byline: clamp(article.byline, LIMITS.shortText),
      publishedAt: article.publishedAt && !Number.isNaN(Date.parse(article.publishedAt)) ? article.publishedAt : '',
      excerpt: clamp(article.excerpt, LIMITS.excerpt),
      leadImage: isHttp(article.leadImage) ? article.leadImage : '',
      html: article.html,
      markdown: article.markdown,
      text: article.text,
    });
    text = article.text;
  } else if (options.kind === 'selection' && page.selection) {
    text = page.selection.text;
    Object.assign(base, {
      excerpt: clamp(text, LIMITS.excerpt),
      text,
      markdown: text.split('\n').map((line) => `> ${line}`).join('\n'),
      selection: { text: clamp(text, LIMITS.selectionText), quoteUrl: page.selection.quoteUrl },
    });
  } else if (options.kind === 'link' && isHttp(options.targetUrl) && options.targetUrl !== page.url) {
    // A link on the page: the clip is the link's target, found on this page.
    text = options.linkText ?? '';
    Object.assign(base, {
      url: options.targetUrl, canonicalUrl: '', siteName: '', lang: '',
      title: clamp(options.linkText || options.targetUrl, LIMITS.shortText),
      excerpt: `Linked from ${page.pageTitle || page.url}`.slice(0, LIMITS.excerpt),
    });
  } else if (options.kind === 'link') {
    // The page itself as a bookmark: its metadata without its content.
    text = article?.excerpt ?? '';
    Object.assign(base, { excerpt: clamp(article?.excerpt, LIMITS.excerpt), byline: clamp(article?.byline, LIMITS.shortText) });
  } else if (options.kind === 'image' && isHttp(options.targetUrl)) {
    text = options.targetUrl;
    Object.assign(base, { leadImage: options.targetUrl, excerpt: clamp(article?.excerpt, LIMITS.excerpt) });
  }
  base.contentHash = await contentHash(text || base.url || '');
  return base;
}
