// The demo library's content: a small, realistic sample of a learning community (fictional
// organisations, people and companies; `.example` sites) so a newcomer sees the product working.
import { SCAN_TEMPLATE } from '../../shared/scan-template.ts';

export interface DemoMember {
  key: string;
  name: string;
  email: string;
  organisation: string;
  role: 'admin' | 'member' | 'reader';
  intro: string;
}

export const MEMBERS: DemoMember[] = [
  { key: 'amina', name: 'Amina Yusuf', email: 'amina@wereldwerk.example', organisation: 'Wereldwerk', role: 'admin', intro: 'Programme officer for West Africa, ten years in farmer organisations. I want to learn how to negotiate with buyers without losing the cooperative’s voice.' },
  { key: 'kwame', name: 'Kwame Mensah', email: 'kwame@wereldwerk.example', organisation: 'Wereldwerk', role: 'member', intro: 'Based in Kumasi. I support cocoa cooperatives with governance and certification audits.' },
  { key: 'joost', name: 'Joost de Vries', email: 'joost@samensterk.example', organisation: 'Samen Sterk Foundation', role: 'member', intro: 'Private-sector specialist; before this I worked for a Dutch food company. Happy to be the one who translates between both worlds.' },
  { key: 'marieke', name: 'Marieke Jansen', email: 'marieke@zuidlink.example', organisation: 'Zuidlink', role: 'member', intro: 'Programme officer East Africa, focus on financial inclusion of women smallholders.' },
  { key: 'peter', name: 'Peter Otieno', email: 'peter@zuidlink.example', organisation: 'Zuidlink', role: 'member', intro: 'Nairobi office. Dairy value chains and farmer savings groups.' },
  { key: 'sanne', name: 'Sanne Bakker', email: 'sanne@alliance.example', organisation: 'Alliance secretariat', role: 'admin', intro: 'I facilitate the learning community and prepare the plenary sessions.' },
];

export interface DemoCase {
  key: string;
  title: string;
  status: 'open' | 'closed';
  members: string[];
  description: string;
  lessons: string;
}

export const CASES: DemoCase[] = [
  {
    key: 'cocoa',
    title: 'Cocoa cooperative partnership in Ghana',
    status: 'open',
    members: ['amina', 'kwame', 'joost'],
    description: `Cacao Noord, a Dutch chocolate maker, buys from the **Asante Farmers’ Union** (4,200 members, Ashanti region) under a five-year sourcing agreement co-funded by Wereldwerk.

The subgroup looks at three questions:

1. Who sets the premium, and how is it shared with members?
2. What does the company expect from the NGO: a broker, a monitor, or an implementer?
3. What happens to the cooperative when the agreement ends?

Sources: the agreement summary, two field visits (March and June), the company's sustainability report.`,
    lessons: `## Trust and power balance
- Put the premium formula in the contract, not in a side letter; the union's board could not explain it to members.
- Meet the buyer **with** the cooperative, never about it.

## Living income
- A premium of USD 240/t closes about a fifth of the living-income gap; productivity and diversification must do the rest.

## Exit and dependency
- Agree on the exit in year one: which roles move from the NGO to the union, and when.`,
  },
  {
    key: 'mobile',
    title: 'Mobile money with a telecom operator in Kenya',
    status: 'open',
    members: ['marieke', 'peter', 'sanne'],
    description: `Savanna Telecom wants to roll out a savings product for women's groups in Kisumu and Siaya, with Zuidlink training group treasurers.

The subgroup asks whether the product serves the groups or mainly the operator's customer acquisition, and what happens with the members' transaction data.`,
    lessons: `## Trust and power balance
- The operator's field agents were paid per sign-up; the groups felt pushed. Ask for the incentive scheme before co-branding.

## Data and privacy
- Transaction data of group members is used for credit scoring. Members did not know. Make data use a topic of the partnership agreement.`,
  },
  {
    key: 'dairy',
    title: 'Dutch dairy company in East Africa',
    status: 'open',
    members: ['joost', 'marieke', 'peter'],
    description: `Royal Polder Dairy sources milk from 11 collection centres in western Uganda and plans a processing plant near Mbarara. It asked Zuidlink to help organise farmers into supplier groups.

Key documents: the investment plan (public summary), an environmental and social impact assessment, news reporting on milk price disputes in 2024.`,
    lessons: `## Living income
- A stable base price mattered more to farmers than a quality bonus they rarely reached.

## Gender
- Payments to the registered (male) supplier meant women who did the milking lost control of the income. Mobile payments to the person delivering helped.`,
  },
  {
    key: 'coffee',
    title: 'Coffee traceability pilot (closed)',
    status: 'closed',
    members: ['kwame', 'sanne'],
    description: 'A one-year pilot with a roaster on lot-level traceability. Closed in 2025; the final evaluation is in the clips.',
    lessons: `## Exit and dependency
- The traceability app stopped when the pilot's budget did: nobody owned the data afterwards.`,
  },
];

export interface DemoClip {
  key: string;
  by: string;
  cases: string[];
  company?: string;
  kind: 'article' | 'selection' | 'link';
  url: string;
  title: string;
  siteName: string;
  byline?: string;
  publishedAt?: string;
  capturedAt: string;
  tags: string[];
  note?: string;
  paragraphs?: string[];
  selection?: string;
}

export const CLIPS: DemoClip[] = [
  {
    key: 'premium', by: 'amina', cases: ['cocoa'], company: 'cacao', kind: 'article',
    url: 'https://www.cocoa-observer.example/2025/09/premiums-cooperatives-ghana', title: 'Who gets the premium? Cooperatives and the new cocoa contracts', siteName: 'Cocoa Observer', byline: 'Efua Owusu', publishedAt: '2025-09-14T08:00:00Z', capturedAt: '2025-09-16T10:12:00Z',
    tags: ['premium', 'cooperative', 'trust'],
    note: 'Good background for question 1. The **premium formula** described here is close to what Cacao Noord uses.',
    paragraphs: [
      'Direct sourcing agreements between European chocolate makers and Ghanaian cooperatives have multiplied since 2020. Most promise a premium above the farm-gate price set by the Cocoa Board.',
      'In practice, cooperative boards often cannot explain how the premium is calculated. In six of the nine cooperatives we visited, members believed the premium was a gift from the buyer rather than a contractual right.',
      'Where the formula was written into the contract and read out at the general assembly, members were more willing to deliver their best beans to the cooperative rather than to passing traders.',
    ],
  },
  {
    key: 'livingincome', by: 'kwame', cases: ['cocoa'], kind: 'selection',
    url: 'https://www.livingincome-lab.example/reports/ghana-benchmark-2025', title: 'Living income benchmark: rural Ghana 2025', siteName: 'Living Income Lab', capturedAt: '2025-10-02T14:40:00Z',
    tags: ['lesson', 'living income'],
    selection: 'At current yields, a premium of USD 240 per tonne closes roughly 20 percent of the gap between actual household income and the living-income benchmark.',
    note: 'Use in the plenary: premiums alone will not get farmers to a living income.',
  },
  {
    key: 'cacaocsr', by: 'joost', cases: ['cocoa'], company: 'cacao', kind: 'article',
    url: 'https://www.cacaonoord.example/en/sustainability', title: 'Our sustainability approach – Cacao Noord', siteName: 'Cacao Noord', capturedAt: '2025-10-05T09:05:00Z',
    tags: ['company', 'csr policy'],
    paragraphs: [
      'Cacao Noord sources all its cocoa through long-term partnerships with farmer organisations in Ghana and Côte d’Ivoire.',
      'We pay a sustainability premium on top of the farm-gate price and co-invest in cooperative governance together with NGO partners.',
      'Our supplier code of conduct prohibits child labour and forced labour; we report annually against the GRI standards.',
    ],
  },
  {
    key: 'exit', by: 'amina', cases: ['cocoa', 'coffee'], kind: 'article',
    url: 'https://www.devpolicy-forum.example/blog/planning-the-exit', title: 'Planning the exit from day one', siteName: 'Development Policy Forum', byline: 'Hanna Visser', publishedAt: '2025-06-30T00:00:00Z', capturedAt: '2025-07-03T08:30:00Z',
    tags: ['common issue', 'exit and dependency'],
    note: 'Both the cocoa and the coffee case ran into this.',
    paragraphs: [
      'Partnerships between NGOs, companies and producer organisations rarely plan for their own end. When funding stops, roles the NGO played quietly disappear.',
      'A simple exit matrix agreed in the first year – which role, who takes it over, by when – makes the dependency visible and negotiable.',
    ],
  },
  {
    key: 'agents', by: 'marieke', cases: ['mobile'], company: 'savanna', kind: 'article',
    url: 'https://www.kenya-finance-news.example/2025/11/agents-commission-savings-groups', title: 'Agent commissions push savings-group sign-ups', siteName: 'Kenya Finance News', byline: 'Wanjiru Kamau', publishedAt: '2025-11-03T06:00:00Z', capturedAt: '2025-11-04T12:20:00Z',
    tags: ['mobile money', 'common issue', 'trust'],
    note: 'Matches what the groups in Siaya told us in October.',
    paragraphs: [
      'Field agents of mobile-money operators earn a commission for every savings group they register, according to contracts seen by this newspaper.',
      'Group leaders in Siaya said agents returned weekly, and that some members signed up twice to make the visits stop.',
    ],
  },
  {
    key: 'datause', by: 'peter', cases: ['mobile'], company: 'savanna', kind: 'selection',
    url: 'https://www.savannatelecom.example/legal/privacy', title: 'Privacy statement – Savanna Telecom', siteName: 'Savanna Telecom', capturedAt: '2025-11-10T15:00:00Z',
    tags: ['lesson', 'data and privacy'],
    selection: 'We may use transaction history, including group savings activity, to assess eligibility for credit products offered by us or our partners.',
    note: 'Members were not told about this. Raise in the partnership agreement.',
  },
  {
    key: 'milkprice', by: 'peter', cases: ['dairy'], company: 'polder', kind: 'article',
    url: 'https://www.ug-agri-news.example/2024/08/milk-price-dispute-mbarara', title: 'Farmers protest milk price cut in Mbarara', siteName: 'Uganda Agri News', byline: 'Robert Ssempala', publishedAt: '2024-08-21T07:00:00Z', capturedAt: '2025-08-11T09:45:00Z',
    tags: ['living income', 'dairy', 'price'],
    paragraphs: [
      'Dairy farmers around Mbarara blocked a collection centre on Tuesday after the buying price fell from 1,200 to 900 shillings per litre in three weeks.',
      'Processors blamed a seasonal surplus. Farmers said a stable base price mattered more to them than quality bonuses they rarely reached.',
    ],
  },
  {
    key: 'genderpay', by: 'marieke', cases: ['dairy'], kind: 'link',
    url: 'https://www.gender-value-chains.example/toolkit/payments', title: 'Toolkit: who gets paid? Gender and payment systems in value chains', siteName: 'Gender in Value Chains', capturedAt: '2025-09-01T11:00:00Z',
    tags: ['gender', 'lesson'],
    note: 'Chapter 3 describes the exact problem we saw with the milk payments.',
  },
  {
    key: 'polderplan', by: 'joost', cases: ['dairy'], company: 'polder', kind: 'article',
    url: 'https://www.royalpolderdairy.example/news/mbarara-plant', title: 'Royal Polder Dairy announces processing plant in western Uganda', siteName: 'Royal Polder Dairy', publishedAt: '2025-05-12T00:00:00Z', capturedAt: '2025-05-20T16:10:00Z',
    tags: ['company', 'investment'],
    paragraphs: [
      'Royal Polder Dairy will invest EUR 18 million in a processing plant near Mbarara, sourcing from 6,000 smallholder farmers.',
      'The company will work with local partners to organise farmers into supplier groups and to provide training in animal health and milk hygiene.',
    ],
  },
  {
    key: 'traceability', by: 'kwame', cases: ['coffee'], kind: 'article',
    url: 'https://www.coffee-insight.example/2025/03/traceability-pilots-after-funding', title: 'What happens to traceability pilots after the funding ends', siteName: 'Coffee Insight', publishedAt: '2025-03-02T00:00:00Z', capturedAt: '2025-03-05T10:00:00Z',
    tags: ['common issue', 'exit and dependency', 'data and privacy'],
    paragraphs: [
      'Of twelve traceability pilots started between 2021 and 2023, only three still collected data a year after their grants ended.',
      'The main reason given: no one in the value chain owned the data or was willing to pay for the system.',
    ],
  },
];

export interface DemoCompany {
  key: string;
  name: string;
  legalName: string;
  domains: string[];
  identifiers: Record<string, string>;
}

export const COMPANIES: DemoCompany[] = [
  { key: 'cacao', name: 'Cacao Noord', legalName: 'Cacao Noord B.V.', domains: ['cacaonoord.example'], identifiers: { kvk: '68123457', vat: 'NL857412369B01' } },
  { key: 'savanna', name: 'Savanna Telecom', legalName: 'Savanna Telecom PLC', domains: ['savannatelecom.example'], identifiers: {} },
  { key: 'polder', name: 'Royal Polder Dairy', legalName: 'Royal Polder Dairy N.V.', domains: ['royalpolderdairy.example'], identifiers: { kvk: '30145678' } },
];

export interface DemoAnswer {
  field: string;
  by: string;
  method: 'auto' | 'manual';
  value: unknown;
  evidence?: Array<{ url: string; snippet: string }>;
  confirmedBy?: string;
  note?: string;
}

const SITE = 'https://www.cacaonoord.example';

/** The one filled scan: Cacao Noord, for the cocoa case, answered by three colleagues. */
export const CACAO_SCAN: DemoAnswer[] = [
  { field: 'name', by: 'joost', method: 'auto', value: 'Cacao Noord', evidence: [{ url: `${SITE}/en/`, snippet: '"@type": "Organization", "name": "Cacao Noord"' }], confirmedBy: 'joost' },
  { field: 'legalName', by: 'joost', method: 'auto', value: 'Cacao Noord B.V.', evidence: [{ url: `${SITE}/en/contact`, snippet: '© 2025 Cacao Noord B.V.' }], confirmedBy: 'joost' },
  { field: 'website', by: 'joost', method: 'auto', value: `${SITE}/`, evidence: [{ url: `${SITE}/en/`, snippet: '"url": "https://www.cacaonoord.example/"' }] },
  { field: 'registrations', by: 'joost', method: 'auto', value: [{ scheme: 'NL-KVK', value: '68123457' }], evidence: [{ url: `${SITE}/en/contact`, snippet: 'KvK 68123457' }], confirmedBy: 'amina' },
  { field: 'vatIds', by: 'joost', method: 'auto', value: ['NL857412369B01'], evidence: [{ url: `${SITE}/en/contact`, snippet: 'BTW NL8574.12.369.B01' }] },
  { field: 'addresses', by: 'joost', method: 'auto', value: [{ role: 'visiting', street: 'Cacaoweg 12', postalCode: '1047 HM', locality: 'Amsterdam', region: '', country: 'NL' }], evidence: [{ url: `${SITE}/en/contact`, snippet: 'Cacaoweg 12, 1047 HM Amsterdam' }] },
  { field: 'country', by: 'joost', method: 'auto', value: 'NL', evidence: [{ url: `${SITE}/en/contact`, snippet: '1047 HM Amsterdam' }] },
  { field: 'phones', by: 'joost', method: 'auto', value: [{ number: '+31205550123', type: 'main' }], evidence: [{ url: `${SITE}/en/contact`, snippet: 'T: +31 (0)20 555 0123' }] },
  { field: 'emails', by: 'joost', method: 'auto', value: ['info@cacaonoord.example'], evidence: [{ url: `${SITE}/en/contact`, snippet: 'info(at)cacaonoord.example' }] },
  { field: 'social', by: 'joost', method: 'auto', value: ['https://www.linkedin.com/company/cacao-noord-example'], evidence: [{ url: `${SITE}/en/`, snippet: '"sameAs": ["https://www.linkedin.com/company/cacao-noord-example"]' }] },
  { field: 'foundingYear', by: 'amina', method: 'manual', value: '2009', evidence: [{ url: `${SITE}/en/about`, snippet: 'Founded in 2009 by two Amsterdam chocolatiers' }] },
  { field: 'isOwnSite', by: 'joost', method: 'auto', value: true },
  { field: 'description', by: 'amina', method: 'manual', value: 'Bean-to-bar chocolate maker sourcing directly from farmer organisations in Ghana and Côte d’Ivoire.', evidence: [{ url: `${SITE}/en/about`, snippet: 'bean-to-bar chocolate maker' }] },
  { field: 'sector', by: 'amina', method: 'manual', value: 'Manufacture of cocoa, chocolate and sugar confectionery (NACE 10.82)' },
  { field: 'employees', by: 'kwame', method: 'manual', value: '120 (2024 annual report)', evidence: [{ url: `${SITE}/downloads/annual-report-2024.pdf`, snippet: 'Employees (FTE) 120' }] },
  { field: 'countries', by: 'kwame', method: 'manual', value: ['Netherlands', 'Ghana', "Côte d'Ivoire"] },
  { field: 'csrPage', by: 'joost', method: 'auto', value: `${SITE}/en/sustainability`, evidence: [{ url: `${SITE}/en/`, snippet: 'Sustainability' }] },
  { field: 'reports', by: 'joost', method: 'auto', value: `${SITE}/downloads/annual-report-2024.pdf`, evidence: [{ url: `${SITE}/en/investors`, snippet: 'Annual report 2024 (PDF)' }] },
  { field: 'codeOfConduct', by: 'joost', method: 'auto', value: `${SITE}/downloads/supplier-code.pdf`, evidence: [{ url: `${SITE}/en/sustainability`, snippet: 'Supplier code of conduct' }] },
  { field: 'reportingStandards', by: 'kwame', method: 'manual', value: 'GRI (core option); no CSRD report yet' },
  { field: 'certifications', by: 'kwame', method: 'manual', value: [{ name: 'Rainforest Alliance', evidence: 'logo on packaging page; checked in the RA certificate search (valid to 2026)' }, { name: 'B Corp', evidence: 'claim on about page; NOT found in the B Corp directory' }], note: 'B Corp claim to be raised with the company.' },
  { field: 'supplyChainRisks', by: 'amina', method: 'manual', value: 'Child labour risk in cocoa in Ashanti (high); deforestation in Western North region (medium). Company relies on cooperative monitoring (CLMRS).' },
  { field: 'partnershipFit', by: 'amina', method: 'manual', value: 'Good fit: long-term contracts, willingness to co-invest in governance. Concern: premium formula not transparent to members.' },
];

export const DEMO_TEMPLATE_ID = SCAN_TEMPLATE.id;
