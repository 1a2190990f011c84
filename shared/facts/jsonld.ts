// Reads JSON-LD: flattens arrays and @graph, resolves @id references, and picks the
// Organization (or subtype) nodes that speak for the page's own site.
import { domainOf } from './page.ts';

/** A JSON-LD node as parsed (any JSON object). */
export type LdNode = Record<string, unknown>;

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isNode(value: unknown): value is LdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typesOf(node: LdNode): string[] {
  return asArray(node['@type']).filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^https?:\/\/schema\.org\//, ''));
}

// Organization and the subtypes sites use (schema.org has ~150 LocalBusiness subtypes: the
// suffix test catches most of them).
const ORG_TYPES = /^(?:Organization|Corporation|LocalBusiness|NGO|OnlineBusiness|OnlineStore|EducationalOrganization|MedicalOrganization|SportsOrganization|GovernmentOrganization|NewsMediaOrganization|Airline|Consortium|Cooperative|FundingScheme|LibrarySystem|PerformingGroup|ResearchOrganization|WorkersUnion|Project|Attorney|Dentist|Physician|Notary|Restaurant|Hotel|Bakery|Brewery|Winery|Florist|Pharmacy|Plumber|Electrician|Locksmith|RoofingContractor|GeneralContractor|HVACBusiness|HousePainter|MovingCompany|RealEstateAgent|TravelAgency|Optician|Library|Museum|Hospital|Clinic|Campground|CafeOrCoffeeShop|BarOrPub|Distillery|AutoRepair|AutoDealer|BankOrCreditUnion|AccountingService|InsuranceAgency|Caterer|ChildCare|DryCleaningOrLaundry|EmploymentAgency|TouristInformationCenter|[A-Za-z]*(?:Business|Service|Store|Organization|Company|Agency|Office|Shop|Center|Centre|Contractor|Firm|Dealer|Club))$/;

export function isOrganization(node: LdNode): boolean {
  return typesOf(node).some((t) => ORG_TYPES.test(t));
}

export interface JsonLd {
  /** Every node object found, depth first. */
  nodes: LdNode[];
  /** @id → the fullest node with that id. */
  byId: Map<string, LdNode>;
  /** The roots: top-level objects and @graph members. */
  roots: LdNode[];
}

/** Parses each script tolerantly (CDATA wrappers, comments, a trailing comma): one broken block must not hide the others. */
export function parseJsonLd(sources: string[]): JsonLd {
  const nodes: LdNode[] = [];
  const roots: LdNode[] = [];
  const byId = new Map<string, LdNode>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 20) return;
    for (const item of asArray(value)) {
      if (!isNode(item)) continue;
      nodes.push(item);
      const id = item['@id'];
      if (typeof id === 'string' && Object.keys(item).length > 1) {
        const known = byId.get(id);
        byId.set(id, known ? { ...known, ...item } : item);
      }
      for (const [key, child] of Object.entries(item)) if (key !== '@context' && typeof child === 'object') visit(child, depth + 1);
    }
  };
  for (const source of sources) {
    const text = source.trim().replace(/^<!\[CDATA\[|\]\]>$/g, '').replace(/^\s*\/\/.*$/gm, '').replace(/,\s*([}\]])/g, '$1');
    if (!text) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    for (const item of asArray(parsed)) {
      if (!isNode(item)) continue;
      const graph = item['@graph'];
      if (graph !== undefined) for (const g of asArray(graph)) if (isNode(g)) roots.push(g);
      else roots.push(item);
    }
    visit(parsed, 0);
  }
  return { nodes, byId, roots };
}

/** Follows an {"@id": …} reference to the node that carries the data. */
export function resolve(ld: JsonLd, value: unknown): unknown {
  if (isNode(value) && typeof value['@id'] === 'string' && Object.keys(value).length <= 2) {
    return ld.byId.get(value['@id']) ?? value;
  }
  return value;
}

function urlOf(node: LdNode): string {
  const url = asArray(node.url).find((u): u is string => typeof u === 'string');
  return url ?? '';
}

/**
 * The organizations that speak for the site: top-level (or @graph) Organization nodes, and
 * the publisher/about/mainEntity of the WebSite or WebPage nodes, whose url or @id is on the
 * page's registrable domain (or that have no url at all). Nested organizations elsewhere
 * (brand, manufacturer, an article's subject) are someone else.
 */
export function ownOrganizations(ld: JsonLd, pageDomain: string): LdNode[] {
  const candidates: LdNode[] = [];
  const add = (value: unknown) => {
    const node = resolve(ld, value);
    if (isNode(node) && isOrganization(node) && !candidates.includes(node)) candidates.push(node);
  };
  for (const root of ld.roots) {
    const types = typesOf(root);
    if (isOrganization(root)) add(root);
    else if (types.some((t) => /^(?:WebSite|WebPage|AboutPage|ContactPage|ProfilePage|CollectionPage|ItemPage)$/.test(t))) {
      for (const key of ['publisher', 'about', 'mainEntity', 'copyrightHolder', 'provider']) for (const v of asArray(root[key])) add(v);
    }
  }
  return candidates.filter((node) => {
    const url = urlOf(node);
    const id = typeof node['@id'] === 'string' ? node['@id'] : '';
    if (url && /^https?:/i.test(url)) return domainOf(url) === pageDomain;
    if (id && /^https?:/i.test(id)) return domainOf(id) === pageDomain;
    return true;
  });
}

/** Every @type on the page (for page classification). */
export function allTypes(ld: JsonLd): string[] {
  return ld.nodes.flatMap(typesOf);
}

/** A short evidence snippet for a JSON-LD property: `"telephone": "+31 20 …"`. */
export function ldSnippet(prop: string, raw: unknown): string {
  const text = JSON.stringify(raw) ?? '';
  return `"${prop}": ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
