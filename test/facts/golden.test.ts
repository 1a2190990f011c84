// Golden tests of proposeScanAnswers: each hand-written page in test/fixtures/company/ must
// give exactly its checked-in *.expected.json (UPDATE_GOLDEN=1 rewrites them), plus the rules
// of company-scan.md that matter most, asserted by name.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposeScanAnswers } from '../../shared/page/node.ts';
import type { ProposableKey, ScanProposals, ScanValueByKey } from '../../shared/facts/types.ts';

const dir = join(import.meta.dirname, '../fixtures/company');
const pages = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, string>;

function run(file: string): ScanProposals {
  return proposeScanAnswers(readFileSync(join(dir, file), 'utf8'), pages[file]!);
}

function values<K extends ProposableKey>(out: ScanProposals, key: K): Array<ScanValueByKey[K]> {
  return (out.answers[key] ?? []).map((p) => p.value as ScanValueByKey[K]);
}

describe('golden pages', () => {
  for (const file of Object.keys(pages)) {
    it(file, () => {
      const out = run(file);
      const expectedPath = join(dir, file.replace(/\.html$/, '.expected.json'));
      // Only an explicit UPDATE_GOLDEN=1 writes expectations: a missing file fails, so a
      // golden test never passes by writing down whatever the code returns today.
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, `${JSON.stringify(out, null, 2)}\n`);
      expect(existsSync(expectedPath), `${expectedPath} is missing: write it with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(out).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }
});

describe('every proposal', () => {
  for (const file of Object.keys(pages)) {
    it(`${file}: has a method, a confidence in 0..1 and evidence from the page, best first`, () => {
      const out = run(file);
      expect(out.url).toBe(pages[file]);
      for (const list of Object.values(out.answers)) {
        expect(list!.length).toBeGreaterThan(0);
        for (const p of list!) {
          expect(['jsonld', 'microdata', 'meta', 'link', 'text', 'dom']).toContain(p.method);
          expect(p.confidence).toBeGreaterThanOrEqual(0);
          expect(p.confidence).toBeLessThanOrEqual(1);
          expect(p.evidence.url).toBe(pages[file]);
          expect(p.evidence.snippet.length).toBeGreaterThan(0);
        }
        const confidences = list!.map((p) => p.confidence);
        expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      }
    });
  }
});

describe('Dutch contact page', () => {
  const out = run('nl-contact.html');
  it('reads KvK and BTW in odd spellings, normalised', () => {
    expect(values(out, 'registrations')).toEqual([{ scheme: 'NL-KVK', value: '30123456' }]);
    expect(values(out, 'vatIds')).toEqual(['NL009691108B01']);
    expect(out.answers.vatIds![0]!.evidence.snippet).toContain('NL0096.91.108.B.01');
  });
  it('never takes the IBAN for a VAT id or a phone number', () => {
    expect(JSON.stringify(out.answers)).not.toMatch(/ABNA|417164300/);
  });
  it('decodes the obfuscated and the Cloudflare-protected e-mail', () => {
    expect(values(out, 'emails')).toEqual(expect.arrayContaining(['bestellingen@bakkerijvandijk.nl', 'administratie@bakkerijvandijk.nl']));
  });
  it('leaves out the web designer credited in the footer and the share link', () => {
    const all = JSON.stringify(out.answers);
    expect(all).not.toMatch(/webbureau|pixel|5551234|sharer/i);
  });
  it('reads phone and fax as E.164', () => {
    expect(values(out, 'phones')).toEqual([{ number: '+31302314567', type: 'phone' }, { number: '+31302314568', type: 'fax' }]);
  });
});

describe('German Impressum', () => {
  const out = run('de-impressum.html');
  it('reads HRB, USt-IdNr and the PLZ address', () => {
    expect(values(out, 'registrations')).toEqual([{ scheme: 'DE-CR', value: 'HRB 21456' }]);
    expect(values(out, 'vatIds')).toEqual(['DE812345678']);
    expect(values(out, 'addresses')).toEqual([{ role: 'registered', street: 'Gewerbestraße 14', postalCode: '83022', locality: 'Rosenheim', region: '', country: 'DE' }]);
  });
  it('leaves out the supervisory authority and the insurer', () => {
    expect(JSON.stringify(out.answers)).not.toMatch(/München|Max-Joseph|Allianz|5116/);
  });
});

describe('English about page', () => {
  const out = run('en-about.html');
  it('finds the facts table, the listing and the CSR links', () => {
    expect(values(out, 'employees')).toEqual([46000]);
    expect(values(out, 'ownership')).toEqual(['NYSE: NWM']);
    expect(values(out, 'csrPage')).toEqual(['https://www.northwindmedical.com/sustainability']);
    expect(values(out, 'codeOfConduct')).toEqual(['https://www.northwindmedical.com/about/code-of-conduct']);
    expect(values(out, 'humanRightsStatement')).toEqual(['https://www.northwindmedical.com/about/modern-slavery-statement']);
    expect(values(out, 'whistleblowing')).toHaveLength(2);
    expect(values(out, 'reports')).toContainEqual({ url: 'https://www.northwindmedical.com/content/dam/nwm/reports/annual-report-2023.pdf', title: 'Annual Report 2023 (PDF)', year: 2023 });
  });
  it('finds certifications from text and logo alt texts', () => {
    expect(values(out, 'certifications').map((c) => c.name)).toEqual(expect.arrayContaining(['ISO 14001', 'B Corp']));
  });
  it('takes neither share links nor the theme vendor for social profiles', () => {
    expect(values(out, 'social')).toEqual(['https://linkedin.com/company/northwind-medical', 'https://twitter.com/northwindmed', 'https://youtube.com/user/northwindmedical']);
  });
});

describe('JSON-LD @graph', () => {
  const out = run('jsonld-graph.html');
  it('follows the logo @id reference and reads sameAs without the share link', () => {
    expect(out.answers.logo![0]!.value).toBe('https://www.groenveld-installatie.nl/wp-content/uploads/groenveld-logo-wide.png');
    expect(values(out, 'social')).toEqual(['https://linkedin.com/company/groenveld-installatietechniek', 'https://instagram.com/groenveldinstallatie']);
  });
  it('ignores the other organization in the graph', () => {
    expect(JSON.stringify(out.answers)).not.toMatch(/Concurrent|999/);
  });
});

describe('pages that are not the company’s own', () => {
  it('a LinkedIn profile says isOwnSite false, takes nothing from LinkedIn itself, and the website the profile states', () => {
    const out = run('linkedin-profile.html');
    expect(values(out, 'isOwnSite')).toEqual([false]);
    expect(JSON.stringify(out.answers)).not.toMatch(/Sunnyvale|94085|twitter\.com\/linkedin/);
    expect(values(out, 'website')).toEqual(['https://www.groenveld-installatie.nl']);
    expect(out.answers.website![0]!.evidence.snippet).toContain('https://www.groenveld-installatie.nl');
  });
  it('a news article proposes nothing about the company it reports on, only its own publisher’s identity, less surely', () => {
    const out = run('news-article.html');
    expect(Object.keys(out.answers).sort()).toEqual(['isOwnSite', 'logo', 'name', 'website']);
    expect(values(out, 'isOwnSite')).toEqual([false]);
    expect(values(out, 'name')).toEqual(['Regiobode']);
    expect(values(out, 'logo')).toEqual(['https://www.regiobode.example/logo.png']);
    for (const key of ['name', 'logo', 'website'] as const) expect(out.answers[key]![0]!.confidence).toBeLessThanOrEqual(0.7);
    expect(JSON.stringify(out.answers)).not.toMatch(/Groenveld|groenveld-installatie/);
  });
  it('the ombudsman (Kifid) and the insurer are not the company', () => {
    const out = run('nl-insurer-block.html');
    expect(JSON.stringify(out.answers)).not.toMatch(/kifid|93257|3338999|Nationale|Beatrixlaan|2595|webdesign/i);
    expect(values(out, 'registrations')).toEqual([{ scheme: 'NL-KVK', value: '05078912' }]);
  });
});

describe('CSR links', () => {
  it('a sustainability section: its section page, not each sub-page found by path; a green-initiatives page; not a "#" teaser', () => {
    const out = run('en-csr-section.html');
    expect(values(out, 'csrPage')).toEqual(['https://www.prairieagri.com/sustainability/', 'https://www.prairieagri.com/hotel/seattle-green-initiatives.aspx']);
  });
  it('a Dutch "M.v.o" link is the CSR page', () => {
    expect(values(run('nl-mvo-link.html'), 'csrPage')).toEqual(['https://www.oogenlust-opticiens.nl/nl/over-oogenlust/referenties.htm']);
  });
  it('a law firm’s whistleblower practice and blog are its services, not its own whistleblowing channel', () => {
    expect(run('en-law-firm.html').answers.whistleblowing).toBeUndefined();
  });
});

describe('another company’s block in the footer', () => {
  it('the management company and the web agency with their phones and postcode are not the company', () => {
    const out = run('en-managed-footer.html');
    expect(JSON.stringify(out.answers)).not.toMatch(/Summit|44303|7624011|7622024|Pixelworks|5550142/);
    expect(values(out, 'phones')).toEqual([{ number: '+19702215972', type: 'phone' }]);
  });
});

describe('legal name and founding year', () => {
  it('keeps a joining word inside a legal name; a partner’s legal name in a heading is not the company’s; the year from the meta description and a banner alt', () => {
    const out = run('en-legal-forms.html');
    expect(values(out, 'legalName')).toEqual(['Skin by Lovely, Inc.']);
    expect(JSON.stringify(out.answers)).not.toMatch(/Applause/);
    expect(values(out, 'foundingYear')).toEqual([1977, 1989]);
  });
  it('a legal name that matches the company’s mail domain, not the site’s; a phone in the next table cell', () => {
    const out = run('uk-mail-domain.html');
    expect(values(out, 'legalName')).toEqual(['Focus Furnishing (On-Line) Limited']);
    expect(values(out, 'phones')).toEqual([{ number: '+442084716868', type: 'phone' }]);
  });
  it('a legal form only in the meta description', () => {
    expect(values(run('en-csr-section.html'), 'legalName')).toEqual(['Prairie Agri Sciences LLC']);
  });
});

describe('page shapes and profile links', () => {
  it('reads a page whose markup starts before <body>; Facebook /pages/City-ST/Name/id, a /likes tab and Flickr are profiles', () => {
    const out = run('nl-markup-before-body.html');
    expect(values(out, 'phones')).toEqual([{ number: '+31114312110', type: 'phone' }]);
    expect(values(out, 'social')).toEqual(['https://facebook.com/pages/Hulst-ZE/Bloembinderij-de-Statie/328628077253588', 'https://facebook.com/bloembinderijdestatie', 'https://flickr.com/photos/destatie']);
  });
});
