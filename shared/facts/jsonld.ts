// Reads the site's own organisation out of a page's JSON-LD (parsed and flattened by
// shared/page/structured.ts): the Organization (or subtype) nodes that speak for the page's site.
import { asArray, isNode, resolve, typesOf, type JsonLd, type LdNode } from '../page/structured.ts';
import { registrableDomain } from '../site.ts';

// Organization and the subtypes sites use (schema.org has ~150 LocalBusiness subtypes: the
// suffix test catches most of them).
const ORG_TYPES = /^(?:Organization|Corporation|LocalBusiness|NGO|OnlineBusiness|OnlineStore|EducationalOrganization|MedicalOrganization|SportsOrganization|GovernmentOrganization|NewsMediaOrganization|Airline|Consortium|Cooperative|FundingScheme|LibrarySystem|PerformingGroup|ResearchOrganization|WorkersUnion|Project|Attorney|Dentist|Physician|Notary|Restaurant|Hotel|Bakery|Brewery|Winery|Florist|Pharmacy|Plumber|Electrician|Locksmith|RoofingContractor|GeneralContractor|HVACBusiness|HousePainter|MovingCompany|RealEstateAgent|TravelAgency|Optician|Library|Museum|Hospital|Clinic|Campground|CafeOrCoffeeShop|BarOrPub|Distillery|AutoRepair|AutoDealer|BankOrCreditUnion|AccountingService|InsuranceAgency|Caterer|ChildCare|DryCleaningOrLaundry|EmploymentAgency|TouristInformationCenter|[A-Za-z]*(?:Business|Service|Store|Organization|Company|Agency|Office|Shop|Center|Centre|Contractor|Firm|Dealer|Club))$/;

export function isOrganization(node: LdNode): boolean {
  return typesOf(node).some((t) => ORG_TYPES.test(t));
}

function urlOf(node: LdNode): string {
  const url = asArray(node.url).find((u): u is string => typeof u === 'string');
  return url ?? '';
}

// Roles in which a page or website names its own organisation; `about`, `mentions`, an
// article's author or a product's brand name someone else.
const OWN_ROLES = ['publisher', 'copyrightHolder', 'provider', 'sourceOrganization', 'maintainer'];
// Page-level nodes whose `about` / `mainEntity` is the site's company when it carries no
// address of its own elsewhere (an about or contact page about the company itself).
const SELF_PAGES = /^(?:WebSite|AboutPage|ContactPage|ProfilePage)$/;
const ORG_OR_PERSON = /^(?:Person|Place|Product|Event|Offer|Brand)$/;

function onDomain(node: LdNode, pageDomain: string): boolean | null {
  const url = urlOf(node);
  const id = typeof node['@id'] === 'string' ? node['@id'] : '';
  if (url && /^https?:/i.test(url)) return (registrableDomain(url) ?? '') === pageDomain;
  // An @id names the node, not always its site ("https://schema.org/…", a CMS's ids): it
  // counts only when it is on the page's domain.
  if (id && /^https?:/i.test(id) && (registrableDomain(id) ?? '') === pageDomain) return true;
  return null;
}

function squashed(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The organizations that speak for the site, from the roles the page gives them: a root
 * Organization node, the `publisher` (or copyright holder, provider) of any page, website or
 * article node, and the `about` / `mainEntity` of the website, an about or a contact page when it is on
 * the page's domain. Organizations whose url is on another domain are someone else; nodes
 * that are only `about` or `mentions` of an article (the companies a story is about) never
 * count. When several candidates remain, the ones with the strongest evidence win (named as
 * the publisher, on the page's domain, named like the site in `siteNames`); several
 * unrelated root organizations without any such evidence (a directory's listings) give none.
 */
export function ownOrganizations(ld: JsonLd, pageDomain: string, siteNames: string[] = []): LdNode[] {
  const scores = new Map<LdNode, number>();
  const consider = (value: unknown, score: number) => {
    const node = resolve(ld, value);
    if (!isNode(node) || !isOrganization(node)) return;
    const domain = onDomain(node, pageDomain);
    if (domain === false) return;
    let total = score + (domain ? 2 : 0);
    const name = squashed(typeof node.name === 'string' ? node.name : '');
    const label = squashed(pageDomain.split('.')[0] ?? '');
    if (name && ((label.length >= 3 && (name.includes(label) || label.includes(name))) || siteNames.some((n) => squashed(n) === name))) total += 1;
    scores.set(node, Math.max(scores.get(node) ?? -1, total));
  };
  for (const root of ld.roots) {
    const types = typesOf(root);
    if (isOrganization(root)) consider(root, 0);
    else if (!types.some((t) => ORG_OR_PERSON.test(t))) {
      for (const key of OWN_ROLES) for (const v of asArray(root[key])) consider(v, 2);
      if (types.some((t) => SELF_PAGES.test(t))) {
        for (const key of ['about', 'mainEntity']) {
          for (const v of asArray(root[key])) {
            const node = resolve(ld, v);
            if (isNode(node) && onDomain(node, pageDomain) !== false) consider(node, 1);
          }
        }
      }
      // A WebPage's isPartOf names its WebSite, whose publisher is the site's company.
      for (const part of asArray(root.isPartOf)) {
        const site = resolve(ld, part);
        if (isNode(site)) for (const key of OWN_ROLES) for (const v of asArray(site[key])) consider(v, 2);
      }
    }
  }
  if (scores.size === 0) return [];
  const best = Math.max(...scores.values());
  const top = [...scores.entries()].filter(([, score]) => score === best).map(([node]) => node);
  if (best === 0) {
    // Only bare root organizations: one is the site's; several with different names are a list of others.
    const names = new Set(top.map((node) => squashed(typeof node.name === 'string' ? node.name : '')));
    if (names.size > 1) return [];
  }
  return top;
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
