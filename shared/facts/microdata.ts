// Turns microdata items (collected by page.ts) into JSON-LD-shaped nodes so that one reader
// (structured.ts) serves both syntaxes.
import type { MicrodataItem } from './page.ts';
import type { LdNode } from '../page/structured.ts';
import { isOrganization } from './jsonld.ts';

function toNode(item: MicrodataItem, depth = 0): LdNode {
  const node: LdNode = { '@type': item.type.split(/\s+/).map((t) => t.replace(/^https?:\/\/schema\.org\//, '')) };
  for (const [prop, values] of Object.entries(item.props)) {
    node[prop] = values.map((v) => (typeof v === 'string' ? v : depth < 10 ? toNode(v, depth + 1) : {}));
  }
  return node;
}

/** Top-level microdata Organization items (nested ones belong to something else, e.g. a product's brand). */
export function microdataOrganizations(items: MicrodataItem[]): LdNode[] {
  return items.map((item) => toNode(item)).filter(isOrganization);
}
