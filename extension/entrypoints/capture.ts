// Capture script, injected on request with scripting.executeScript: reads the article and the
// current selection with the shared capture engine and returns them as plain data.
import { extractArticle } from '../../shared/capture/article.ts';
import { captureSelection } from '../../shared/capture/selection.ts';
import type { CapturedPage } from '../lib/engines.ts';

export default defineUnlistedScript(async (): Promise<CapturedPage> => {
  const url = location.href;
  let article: CapturedPage['article'] = null;
  let articleError: string | null = null;
  try {
    article = await extractArticle(document, url);
  } catch (error) {
    articleError = error instanceof Error ? error.message : String(error);
  }
  const selection = window.getSelection();
  const quote = selection && !selection.isCollapsed && selection.toString().trim() ? await captureSelection(document, selection) : null;
  return { url, pageTitle: document.title, article, selection: quote ?? null, articleError };
});
