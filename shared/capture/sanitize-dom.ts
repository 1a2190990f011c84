// Applies the clip sanitization policy (sanitize-policy.ts) to a DOM subtree in place. It is the
// only sanitizing pass of extraction in every host: test/capture/sanitize.test.ts checks that
// its output is a fixed point of sanitizeClipHtml (shared/sanitize.ts, the service's ingest pass),
// i.e. that it is at least as strict.
import { descendantElements } from './dom.ts';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, NON_TEXT_TAGS, SAFE_HREF, SAFE_SRC } from './sanitize-policy.ts';

const allowedTags = new Set(ALLOWED_TAGS);
const nonTextTags = new Set(NON_TEXT_TAGS);
const globalAttributes = new Set(ALLOWED_ATTRIBUTES['*']);
const attributesByTag = new Map(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, new Set(names)]));

/** Removes what the policy forbids below `root` (root itself is kept as a container). */
export function sanitizeDom(root: Element): void {
  // Comments, CDATA and processing instructions can hide markup; they are never content.
  removeNonContentNodes(root);
  // A static snapshot: the tree changes while we go.
  const elements = descendantElements(root);
  for (let element of elements) {
    if (!element.parentNode) continue;
    const tag = element.localName.toLowerCase();
    // linkedom keeps the case of createElement('DIV') (Readability's wrappers) and prints it.
    if (tag !== element.localName && allowedTags.has(tag)) element = renamed(element, tag);
    if (nonTextTags.has(tag)) {
      element.remove();
      continue;
    }
    if (!allowedTags.has(tag)) {
      unwrap(element);
      continue;
    }
    const allowed = attributesByTag.get(tag);
    for (const name of element.getAttributeNames()) {
      if (!globalAttributes.has(name) && !(allowed?.has(name) ?? false)) element.removeAttribute(name);
    }
    if (tag === 'a') {
      const href = element.getAttribute('href');
      if (href !== null) {
        if (!SAFE_HREF.test(href.trim())) element.removeAttribute('href');
        else if (href.trim() !== href) element.setAttribute('href', href.trim());
      }
      element.setAttribute('rel', LINK_REL);
    } else if (tag === 'img') {
      const src = element.getAttribute('src');
      if (src === null || !SAFE_SRC.test(src.trim())) element.remove();
      else if (src.trim() !== src) element.setAttribute('src', src.trim());
    } else if (tag === 'source') {
      const srcset = element.getAttribute('srcset');
      if (srcset !== null && !srcset.split(',').every((candidate) => SAFE_SRC.test(candidate.trim()))) element.removeAttribute('srcset');
    } else if (tag === 'blockquote' || tag === 'q') {
      const cite = element.getAttribute('cite');
      if (cite !== null && !SAFE_SRC.test(cite.trim())) element.removeAttribute('cite');
    }
  }
}

/** The same element under a lower-case name, in its place, with its attributes and children. */
function renamed(element: Element, tag: string): Element {
  const replacement = element.ownerDocument.createElement(tag);
  for (const name of element.getAttributeNames()) replacement.setAttribute(name, element.getAttribute(name) ?? '');
  while (element.firstChild) replacement.appendChild(element.firstChild);
  element.replaceWith(replacement);
  return replacement;
}

/** Replaces an element by its children. */
export function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  element.remove();
}

/** Keeps only element and text nodes. */
function removeNonContentNodes(root: Element): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    for (let child = node.firstChild; child; ) {
      const next = child.nextSibling;
      if (child.nodeType === 1) stack.push(child);
      else if (child.nodeType !== 3) child.parentNode?.removeChild(child);
      child = next;
    }
  }
}
