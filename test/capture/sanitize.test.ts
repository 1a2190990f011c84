// The DOM sanitizer (sanitize-dom.ts) is extraction's only sanitizing pass, so it must be at least
// as strict as sanitizeClipHtml (sanitize-html, the service's ingest pass): its output must come
// back unchanged from sanitizeClipHtml, and hostile markup must not survive it.
import { describe, expect, it } from 'vitest';
import { parseHtml as parseHtmlNode } from '../../shared/page/node.ts';
import { sanitizeDom } from '../../shared/capture/sanitize-dom.ts';
import { sanitizeClipHtml } from '../../shared/sanitize.ts';
import { canonicalHtml } from './corpus-score.ts';

function sanitizeWithDom(html: string): string {
  const doc = parseHtmlNode(`<!doctype html><html><body><div id="root">${html}</div></body></html>`);
  const root = doc.getElementById('root') as Element;
  sanitizeDom(root);
  return root.innerHTML;
}

const HOSTILE = [
  '<p onclick="steal()">text</p><img src="https://a.example/x.png" onerror="alert(1)">',
  '<script>alert(1)</script><style>p{}</style><noscript><p>no</p></noscript>',
  '<a href="javascript:alert(1)">x</a><a href=" JAVASCRIPT:alert(1)">y</a><a href="java&#x09;script:alert(1)">z</a>',
  '<a href="data:text/html,<script>alert(1)</script>">d</a><a href="//evil.example/">p</a><a href="vbscript:x">v</a>',
  '<img src="data:image/png;base64,AAAA"><img src="javascript:alert(1)"><img>',
  '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x"><form action="x"><input value="v"><button>b</button></form>',
  '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">s</a></svg><math><mi>x</mi></math>',
  '<!-- <img src=x onerror=alert(1)> --><p>after comment</p><![CDATA[ <script>alert(1)</script> ]]>',
  '<div style="background:url(javascript:alert(1))" class="x" id="y" data-x="1">styled</div>',
  '<table><tr><td colspan="2" onmouseover="x">cell</td></tr></table><blockquote cite="javascript:alert(1)">q</blockquote>',
  '<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p><p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">t</p>',
  '<xmp><script>alert(1)</script></xmp><noembed><img src=x onerror=alert(1)></noembed><template><script>alert(1)</script></template>',
  '<picture><source srcset="javascript:alert(1) 1x, https://a.example/b.png 2x"><img src="https://a.example/c.png"></picture>',
  '<custom-element onclick="x">custom</custom-element><font color="red">font</font><center>c</center>',
  '<a href="https://ok.example/?q=1&amp;b=2" target="_blank" ping="https://track.example">ok</a><a href="mailto:a@b.example">m</a><a href="#top">t</a>',
];

describe('sanitizeDom', () => {
  for (const [index, html] of HOSTILE.entries()) {
    it(`hostile case ${index + 1}: nothing executable survives, and sanitize-html changes nothing after it`, () => {
      const out = sanitizeWithDom(html);
      expect(out).not.toMatch(/<(script|style|iframe|object|embed|form|input|button|svg|math|template|noscript)\b/i);
      expect(out).not.toMatch(/\son\w+=|javascript:|vbscript:|data:|style=|class=|id=|xlink/i);
      expect(canonicalHtml(sanitizeClipHtml(out))).toBe(canonicalHtml(out));
    });
  }

  it('keeps content tags and gives links a safe rel', () => {
    const out = sanitizeWithDom('<h2>T</h2><p><a href="https://a.example/">a</a> <em>e</em></p><pre><code>x &lt; y</code></pre><figure><img src="https://a.example/i.png" alt="i"><figcaption>c</figcaption></figure>');
    expect(out).toBe('<h2>T</h2><p><a rel="noopener noreferrer nofollow" href="https://a.example/">a</a> <em>e</em></p><pre><code>x &lt; y</code></pre><figure><img src="https://a.example/i.png" alt="i"><figcaption>c</figcaption></figure>');
  });
});
