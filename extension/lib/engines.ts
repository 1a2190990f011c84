// Types of what the shared capture and facts engines return, as the extension carries them
// between the page, the background and its pages (type-only: no engine code enters a bundle here).
import type { extractArticle } from '../../shared/capture/article.ts';
import type { captureSelection } from '../../shared/capture/selection.ts';
import type { Proposal, ScanProposals, ScanAnswers } from '../../shared/facts/types.ts';

export type { Proposal, ScanProposals, ScanAnswers };
export type Article = Awaited<ReturnType<typeof extractArticle>>;
export type SelectionCapture = NonNullable<Awaited<ReturnType<typeof captureSelection>>>;

/** What the capture script reads from a tab. */
export interface CapturedPage {
  url: string;
  pageTitle: string;
  article: Article | null;
  selection: SelectionCapture | null;
  /** Why the article could not be read, if it could not. */
  articleError: string | null;
}
