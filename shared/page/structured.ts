// What a page says about itself in machine-readable form, read once for capture (article
// metadata) and company facts (the site's organisation): every JSON-LD block, parsed tolerantly
// and within bounds, flattened (@graph, nested arrays) with its @id references indexed, and the
// meta tags as one map. Both engines interpret these records; neither parses them again.

/** A JSON-LD node as parsed (any JSON object). */
export type LdNode = Record<string, unknown>;

export interface JsonLd {
  /** The page's statements: top-level objects and @graph members (a bare @graph wrapper is not one). */
  roots: LdNode[];
  /** Every object found at any depth, depth first. */
  nodes: LdNode[];
  /** @id → the fullest node with that id (several partial nodes with one id are merged). */
  byId: Map<string, LdNode>;
}

/** Bounds on hostile JSON-LD: a block's size, the depth walked, the objects kept. */
export const JSON_LD_LIMITS = { blockChars: 1_000_000, rootDepth: 6, depth: 20, nodes: 20_000 } as const;

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isNode(value: unknown): value is LdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node's @type names without a vocabulary prefix ("http://schema.org/Article", "schema:Article" → "Article"). */
export function typesOf(node: LdNode): string[] {
  return asArray(node['@type'])
    .filter((type): type is string => typeof type === 'string')
    .map((type) => type.replace(/^.*[/:]/, ''));
}

/** Whether a <script> holds JSON-LD ("application/ld+json", with parameters or misspelt around it). */
export function isJsonLdScript(element: Element): boolean {
  return /ld\+json/i.test(element.getAttribute('type') ?? '');
}

/**
 * One block's JSON: strictly first, then with what hand-written blocks get wrong mended (CDATA
 * wrappers, // comment lines, trailing commas). undefined when it is not JSON or too large.
 */
function parseBlock(source: string): unknown {
  if (source.length > JSON_LD_LIMITS.blockChars) return undefined;
  const text = source.trim().replace(/^<!\[CDATA\[|\]\]>$/g, '').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // mended below
  }
  try {
    return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,\s*([}\]])/g, '$1')) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses the text of each JSON-LD block: one broken or oversized block never hides the others. */
export function parseJsonLd(sources: readonly string[]): JsonLd {
  const roots: LdNode[] = [];
  const nodes: LdNode[] = [];
  const byId = new Map<string, LdNode>();
  const addRoots = (value: unknown, depth: number) => {
    if (depth > JSON_LD_LIMITS.rootDepth) return;
    for (const item of asArray(value)) {
      if (Array.isArray(item)) addRoots(item, depth + 1);
      if (!isNode(item)) continue;
      if (item['@graph'] === undefined) {
        roots.push(item);
        continue;
      }
      // A wrapper that is also a node of its own (it has a type) is one too.
      if (item['@type'] !== undefined) roots.push(item);
      addRoots(item['@graph'], depth + 1);
    }
  };
  const visit = (value: unknown, depth: number) => {
    if (depth > JSON_LD_LIMITS.depth || nodes.length >= JSON_LD_LIMITS.nodes) return;
    for (const item of asArray(value)) {
      if (Array.isArray(item)) {
        visit(item, depth + 1);
        continue;
      }
      if (!isNode(item) || nodes.length >= JSON_LD_LIMITS.nodes) continue;
      nodes.push(item);
      const id = item['@id'];
      if (typeof id === 'string' && Object.keys(item).length > 1) {
        const known = byId.get(id);
        byId.set(id, known ? { ...known, ...item } : item);
      }
      for (const [key, child] of Object.entries(item)) if (key !== '@context' && typeof child === 'object' && child !== null) visit(child, depth + 1);
    }
  };
  for (const source of sources) {
    const parsed = parseBlock(source);
    if (parsed === undefined) continue;
    addRoots(parsed, 0);
    visit(parsed, 0);
  }
  return { roots, nodes, byId };
}

/** Follows an {"@id": …} reference (an object with nothing but its id and perhaps a type) to the node that carries the data. */
export function resolve(ld: JsonLd, value: unknown): unknown {
  if (isNode(value) && typeof value['@id'] === 'string' && Object.keys(value).length <= 2) {
    return ld.byId.get(value['@id']) ?? value;
  }
  return value;
}

/** meta name/property/itemprop/http-equiv (lower case) → contents in page order, white space collapsed. */
export type MetaMap = Map<string, string[]>;

/**
 * The meta tags of a page as one map. Each of property, name, itemprop and http-equiv names the
 * value (property="og:title twitter:title" names it twice); empty contents are left out.
 */
export function readMetaTags(elements: Iterable<Element>): MetaMap {
  const map: MetaMap = new Map();
  for (const element of elements) {
    const content = (element.getAttribute('content') ?? '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
    if (content === '') continue;
    const names = new Set<string>();
    for (const attribute of ['property', 'name', 'itemprop', 'http-equiv']) {
      for (const name of (element.getAttribute(attribute) ?? '').toLowerCase().split(/\s+/)) if (name !== '') names.add(name);
    }
    for (const name of names) {
      const values = map.get(name);
      if (values) {
        if (values.length < 50) values.push(content);
      } else {
        map.set(name, [content]);
      }
    }
  }
  return map;
}

/** The first value of a meta tag ('' when the page has none). */
export function metaValue(meta: MetaMap, ...names: string[]): string {
  for (const name of names) {
    const value = meta.get(name)?.[0];
    if (value) return value;
  }
  return '';
}
