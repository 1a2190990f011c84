// The company scan reads the page's own identity from general evidence (issue 12): JSON-LD
// roles (publisher versus about / mentions), the title, the logo link to "/", the copyright
// line and imprint; and it leaves out values that belong to someone else. Each page here is
// written for the rule it shows, not copied from a real site.
import { describe, expect, it } from 'vitest';
import { proposeScanAnswers } from '../../shared/page/node.ts';
import type { ProposableKey, ScanProposals, ScanValueByKey } from '../../shared/facts/types.ts';

function values<K extends ProposableKey>(out: ScanProposals, key: K): Array<ScanValueByKey[K]> {
  return (out.answers[key] ?? []).map((p) => p.value as ScanValueByKey[K]);
}

function page(head: string, body: string): string {
  return `<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
}

const ld = (data: unknown) => `<script type="application/ld+json">${JSON.stringify(data)}</script>`;

describe('JSON-LD roles', () => {
  it('reads an Organization in a script without @graph (it was never read)', () => {
    const out = proposeScanAnswers(page(ld({ '@context': 'https://schema.org', '@type': 'Organization', name: 'Velda Bouw', url: 'https://www.veldabouw.nl/', logo: 'https://www.veldabouw.nl/img/velda.svg', telephone: '+31 50 311 2233' }), '<p>Welkom</p>'), 'https://www.veldabouw.nl/');
    expect(values(out, 'name')[0]).toBe('Velda Bouw');
    expect(values(out, 'logo')[0]).toBe('https://www.veldabouw.nl/img/velda.svg');
    expect(values(out, 'phones')).toContainEqual({ number: '+31503112233', type: 'phone' });
  });

  it('an article’s publisher is the site’s company; the companies it is about or mentions are not', () => {
    const html = page(
      ld({ '@context': 'https://schema.org', '@type': 'BlogPosting', headline: 'Our new partner', publisher: { '@type': 'Organization', name: 'Kestrel Analytics', logo: { '@type': 'ImageObject', url: 'https://kestrel-analytics.com/brand/kestrel.png' } }, about: { '@type': 'Organization', name: 'Northwind Traders', telephone: '+1 206 555 0199' }, mentions: [{ '@type': 'Corporation', name: 'Contoso Ltd', email: 'press@contoso.example' }] }),
      '<article><h1>Our new partner</h1><p>We now work with Northwind Traders.</p></article>',
    );
    const out = proposeScanAnswers(html, 'https://kestrel-analytics.com/blog/our-new-partner');
    expect(values(out, 'name')[0]).toBe('Kestrel Analytics');
    expect(values(out, 'logo')[0]).toBe('https://kestrel-analytics.com/brand/kestrel.png');
    expect(JSON.stringify(out.answers)).not.toMatch(/Northwind|Contoso|2065550199|press@/);
  });

  it('several unrelated organizations without any tie to the site (a directory’s listings) give none', () => {
    const html = page(
      ld([{ '@context': 'https://schema.org', '@type': 'LocalBusiness', name: 'Bakkerij Zon', telephone: '+31 20 111 2222' }, { '@context': 'https://schema.org', '@type': 'LocalBusiness', name: 'Slagerij Maan', telephone: '+31 20 333 4444' }]),
      '<h1>Winkels in de buurt</h1>',
    );
    const out = proposeScanAnswers(html, 'https://www.buurtgids.nl/winkels');
    expect(JSON.stringify(out.answers)).not.toMatch(/Zon|Maan|201112222|203334444/);
  });

  it('a declared name with its legal form gives the legal name, and the name without the form', () => {
    const out = proposeScanAnswers(page(ld({ '@context': 'https://schema.org', '@type': 'Organization', name: 'Brightline Media GmbH', url: 'https://brightline-media.de/' }), '<p>Hallo</p>'), 'https://brightline-media.de/');
    expect(values(out, 'name')[0]).toBe('Brightline Media');
    expect(values(out, 'legalName')[0]).toBe('Brightline Media GmbH');
  });
});

describe('news pages', () => {
  it('propose the publisher’s identity at lower confidence and nothing from the story', () => {
    const html = page(
      `${ld({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Acme opens a plant', publisher: { '@type': 'NewsMediaOrganization', name: 'Daily Ledger', url: 'https://dailyledger.example.com/', logo: 'https://dailyledger.example.com/logo.png' }, about: { '@type': 'Organization', name: 'Acme Corp', url: 'https://acme.example.org/' } })}<meta property="og:type" content="article">`,
      '<article><p>Acme Corp, 1 Main Street, Springfield, IL 62701, phone (217) 555-0100, opened a plant.</p></article>',
    );
    const out = proposeScanAnswers(html, 'https://dailyledger.example.com/business/acme-plant');
    expect(values(out, 'isOwnSite')).toEqual([false]);
    expect(values(out, 'name')).toEqual(['Daily Ledger']);
    expect(out.answers.name![0]!.confidence).toBeLessThanOrEqual(0.7);
    expect(JSON.stringify(out.answers)).not.toMatch(/Acme|62701|2175550100/);
  });
});

describe('the name', () => {
  it('is never a domain slug or a host name taken from the title', () => {
    const out = proposeScanAnswers(page('<title>contact - www.hotstonebreda.nl</title><meta property="og:site_name" content="hotstonebreda">', '<p>Bel ons</p>'), 'https://www.hotstonebreda.nl/contact');
    for (const name of values(out, 'name')) expect(name).not.toMatch(/^(?:www\.)?hotstonebreda(?:\.nl)?$/);
  });

  it('drops a platform named as publisher when the page names itself well', () => {
    const html = page(`<title>Masala Corner | Recipes</title><meta property="og:site_name" content="Masala Corner">${ld({ '@context': 'https://schema.org', '@type': 'BlogPosting', publisher: { '@type': 'Organization', name: 'Blogger' } })}`, '<p>Bhindi</p>');
    const out = proposeScanAnswers(html, 'https://www.masalacorner.com/2020/09/bhindi.html');
    expect(values(out, 'name')).toEqual(['Masala Corner']);
  });
});

describe('the logo', () => {
  it('is the lazy-loaded image, not its placeholder', () => {
    const html = page('<title>Pels Tuinen</title>', '<header><a href="/"><img class="logo" src="/wp-content/plugins/lazy/lazy_placeholder.gif" data-src="/img/pels-logo.png" alt="Pels Tuinen"></a></header>');
    const out = proposeScanAnswers(html, 'https://www.pelstuinen.nl/');
    expect(values(out, 'logo')[0]).toBe('https://www.pelstuinen.nl/img/pels-logo.png');
  });
});

describe('phones', () => {
  it('reads a label that follows another ("Toll Free Phone:"), numbers on consecutive lines, and North American numbers without a country', () => {
    const html = page('<title>Contact</title>', '<div class="contact"><p>USA Toll Free Phone: 1-866-245-0885 ext: 3</p><p>Telefoon 045 - 5754443<br>045 - 5752161<br>Fax 045 - 5752162</p><p>Phone: 253.941.6000 or Toll-Free: 877.315.1880</p></div>');
    const out = proposeScanAnswers(html, 'https://www.example-shop.com/contact');
    const numbers = values(out, 'phones').map((p) => p.number);
    expect(numbers).toEqual(expect.arrayContaining(['+18662450885', '+12539416000', '+18773151880']));
    const nl = proposeScanAnswers(html, 'https://www.montagne.nl/contact');
    expect(values(nl, 'phones').map((p) => p.number)).toEqual(expect.arrayContaining(['+31455754443', '+31455752162']));
  });
});

describe('addresses', () => {
  it('reads a numbered avenue ("31611 20th Avenue South") and a ZIP on the line after the state', () => {
    const html = page('<title>Clarion</title>', '<div class="contact">Hotel Federal Way<br>31611 20th Avenue South<br>Federal Way, WA 98003</div><footer>Blaine WA<br>98230</footer>');
    const out = proposeScanAnswers(html, 'http://www.example-hotel.com/contact');
    expect(values(out, 'addresses')).toContainEqual(expect.objectContaining({ street: '31611 20th Avenue South', postalCode: '98003', locality: 'Federal Way' }));
    expect(values(out, 'addresses').map((a) => a.postalCode)).toContain('98230');
  });

  it('keeps postcode and town of a Dutch footer whose street it cannot read, but not on a US page', () => {
    const html = page('<title>Bakker</title>', '<footer><p>Bakkerij Bos<br>(zie kaart)<br>9711 LM Groningen</p></footer>');
    expect(values(proposeScanAnswers(html, 'https://www.bakkerijbos.nl/'), 'addresses')).toContainEqual(expect.objectContaining({ street: '', postalCode: '9711 LM', locality: 'Groningen' }));
    const us = page('<title>OpenDoor</title>', '<footer><p>(503) 808-1268 | 2828 SW Corbett Avenue, Suite 135, Portland, OR 97201</p></footer>');
    expect(values(proposeScanAnswers(us, 'https://www.opendoor-training.com/'), 'addresses').map((a) => a.postalCode)).toEqual(['97201']);
  });

  it('reads a UK town above its county line', () => {
    const html = page('<title>Prepress</title>', '<footer><p>Unit 29 Malmesbury Road<br>Cheltenham<br>Gloucestershire<br>GL51 9PL</p></footer>');
    const out = proposeScanAnswers(html, 'https://www.prepress-express.co.uk/');
    expect(values(out, 'addresses')).toContainEqual(expect.objectContaining({ street: expect.stringContaining('Malmesbury Road'), postalCode: 'GL51 9PL', locality: 'Cheltenham', region: 'Gloucestershire' }));
  });
});

describe('the legal name', () => {
  it('is read from "handelsnaam van" and from an imprint even when it does not resemble the domain', () => {
    const trading = page('<title>Fietsplezier</title>', '<footer><p>Fietsplezier is een handelsnaam van Rijwielhandel Kramer B.V.</p></footer>');
    expect(values(proposeScanAnswers(trading, 'https://www.fietsplezier.nl/'), 'legalName')[0]).toBe('Rijwielhandel Kramer B.V.');
    const imprint = page('<title>Impressum – Nordlicht Reisen</title>', '<main><h1>Impressum</h1><p>Angaben gemäß § 5 TMG</p><p>Weber Touristik GmbH<br>Hafenstraße 3<br>24103 Kiel</p></main>');
    expect(values(proposeScanAnswers(imprint, 'https://www.nordlicht-reisen.de/impressum'), 'legalName')[0]).toBe('Weber Touristik GmbH');
  });

  it('is not a platform’s or widget’s copyright holder', () => {
    const html = page('<title>Anglerboard</title>', '<footer><p>© 2024 Anglerboard</p><p>Forum software by XenForo® © 2010-2020 XenForo Ltd.</p></footer><div class="widget">© 2014 TripAdvisor LLC</div>');
    expect(JSON.stringify(proposeScanAnswers(html, 'https://anglerboard.de/').answers)).not.toMatch(/XenForo|TripAdvisor/);
  });
});

describe('VAT ids', () => {
  it('read a letter O typed for a zero, and an id without its country prefix on a site whose country is known', () => {
    const nl = page('<title>Bakkerij</title>', '<footer>BTW: NL0O96.91.108.B01</footer>');
    expect(values(proposeScanAnswers(nl, 'https://www.bakkerijvandijk.nl/'), 'vatIds')).toEqual(['NL009691108B01']);
    const fr = page('<title>Atelier</title>', '<footer>N° TVA intracommunautaire : 40 303 265 045</footer>');
    expect(values(proposeScanAnswers(fr, 'https://www.atelier-lumiere.fr/mentions-legales'), 'vatIds')).toEqual(['FR40303265045']);
  });
});

describe('the logo, by general evidence', () => {
  it('takes the home link in the header over a navigation sprite, a header background and a partner’s logo', () => {
    const html = page('<title>Kestrel Analytics</title>', `<header>
      <img src="/img/nav-sprite.png" class="sprite">
      <img src="/img/header-bg.jpg" alt="">
      <a href="/"><img src="/img/kestrel-wordmark.svg" alt="Kestrel Analytics"></a>
      <a href="https://partner.example.org/"><img src="/img/partner-logo.png" alt="Our partner"></a>
    </header><main><img src="/img/brands/acme_logo.png" alt="Acme logo"></main>`);
    expect(values(proposeScanAnswers(html, 'https://kestrel-analytics.com/'), 'logo')).toEqual(['https://kestrel-analytics.com/img/kestrel-wordmark.svg']);
  });

  it('is no picture of a logo in the content, and no brand the shop sells', () => {
    const html = page('<title>De Kapperij</title>', '<main><img src="/img/Logo%20Farouk%20Prof%20Haircare.jpg" alt="farouk logo"><img src="/images/2/20/Logo_Main_About.png" alt="About"></main>');
    expect(proposeScanAnswers(html, 'https://www.dekapperij.nl/').answers.logo).toBeUndefined();
  });
});

describe('zero third-party values', () => {
  it('leaves out the e-mail of another organisation in the page’s content, keeps the site’s own (also on its other mail domain)', () => {
    const html = page('<title>Stadt Ahlen</title>', `<main><p>The study was led by Dr. M. Anderson (mlanderson@berkeley.edu) and the city’s own office (rathaus@stadt-ahlen-mail.de).</p></main>
      <footer><a href="mailto:presse@stadt-ahlen-mail.de">Presse</a> · <a href="mailto:info@ahlen.de">info@ahlen.de</a></footer>`);
    const emails = values(proposeScanAnswers(html, 'https://www.ahlen.de/aktuelles'), 'emails');
    expect(emails).toEqual(expect.arrayContaining(['info@ahlen.de', 'presse@stadt-ahlen-mail.de', 'rathaus@stadt-ahlen-mail.de']));
    expect(emails).not.toContain('mlanderson@berkeley.edu');
  });

  it('leaves out the profiles of people and other brands beside the site’s own', () => {
    const html = page('<title>Boing Boing</title>', `<header><a href="https://twitter.com/boingboing">Twitter</a> <a href="https://www.facebook.com/boingboing">Facebook</a></header>
      <aside class="sidebar"><a href="https://twitter.com/doctorow">Cory</a> <a href="https://twitter.com/xeni">Xeni</a> <a href="https://twitter.com/pesco">David</a></aside>
      <main><p>Watch <a href="https://twitter.com/PhilosophyTube">this channel</a>.</p></main><footer>© Boing Boing</footer>`);
    expect(values(proposeScanAnswers(html, 'https://boingboing.net/2013/07/19/post.html'), 'social')).toEqual(['https://twitter.com/boingboing', 'https://facebook.com/boingboing']);
  });

  it('keeps a company’s profile with a handle unlike its name when it is the only one of its network', () => {
    const html = page('<title>Mister Plumber</title>', '<footer><a href="http://twitter.com/PlumberMr">Twitter</a> © Mister Plumber</footer>');
    expect(values(proposeScanAnswers(html, 'http://www.misterplumber.ca/contact.html'), 'social')).toEqual(['https://twitter.com/PlumberMr']);
  });
});

describe('a page whose address says nothing of its name', () => {
  it('takes the name two of its own sources agree on (title and copyright line), and the legal name that extends it', () => {
    const html = page('<title>Contact Us | Quaker Steak & Lube®</title>', '<main><h1>Contact</h1></main><footer><p>© 2014 Quaker Steak & Lube®</p><p>Quaker Steak & Lube, Inc. · 101 Chestnut St · Sharon, PA 16146</p></footer>');
    const out = proposeScanAnswers(html, 'https://www.wingsonline.com/contact');
    expect(values(out, 'name')[0]).toBe('Quaker Steak & Lube');
    expect(out.answers.name![0]!.confidence).toBeLessThanOrEqual(0.6);
    expect(values(out, 'legalName')[0]).toBe('Quaker Steak & Lube, Inc.');
  });

  it('proposes no name from a single source that does not resemble the site, nor a host name', () => {
    const html = page('<title>bookstore.sgi-usa.org</title>', '<main><h1>Books</h1></main>');
    expect(proposeScanAnswers(html, 'https://bookstore.sgi-usa.org/').answers.name).toBeUndefined();
  });
});
