// A caption keeps its words and loses the photo credit after them ("Bild: Name/Agency",
// "(Quelle: …)", "© …"); a caption that is only a credit goes; a caption that speaks of a
// photo or a source in a sentence stays whole.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { cleanArticleContent } from '../../shared/capture/boilerplate.ts';
import { blockText } from '../../shared/capture/dom.ts';

const PROSE = 'Oil forms over millions of years from tiny organisms that sink to the sea floor and are covered by layers of sediment, far from any light.';

function cleaned(caption: string): string {
  const { document } = parseHTML(`<!doctype html><html><body><div id="root"><p>${PROSE}</p><figure><img src="https://img.example/a.jpg">${caption}</figure><p>${PROSE}</p></div></body></html>`);
  const root = document.getElementById('root') as unknown as Element;
  cleanArticleContent(root, 'https://science.example/oil');
  return blockText(root);
}

describe('photo credits in captions', () => {
  it('cuts the credit after the caption text', () => {
    const text = cleaned('<figcaption><p>Oil pumps at sunset. Bild: <a href="https://stock.example/1">TebNad/Shutterstock.com</a></p></figcaption>');
    expect(text).toContain('Oil pumps at sunset.');
    expect(text).not.toContain('TebNad');
    expect(text).not.toContain('Bild:');
  });

  it('cuts a bracketed source and drops a caption that is only a credit', () => {
    expect(cleaned('<figcaption>A hunter in the forest (Quelle: Fleischmann/Unsplash/DJV)</figcaption>')).not.toContain('Fleischmann');
    expect(cleaned('<figcaption>A hunter in the forest (Quelle: Fleischmann/Unsplash/DJV)</figcaption>')).toContain('A hunter in the forest');
    expect(cleaned('<figcaption>© Anna Berg</figcaption>')).not.toContain('Anna Berg');
  });

  it('keeps a caption that mentions a photo or a source in its sentences', () => {
    const caption = 'The source: a spring below the old mill. Visitors take photos of it every summer, and the water is clear enough to drink.';
    expect(cleaned(`<figcaption>${caption}</figcaption>`)).toContain(caption);
  });
});
