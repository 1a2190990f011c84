// Applies the clip sanitization policy (sanitize-policy.ts) to a DOM subtree in place, so the
// content script sanitizes without shipping sanitize-html; Node hosts run sanitizeClipHtml after it.
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, NON_TEXT_TAGS, SAFE_HREF, SAFE_SRC } from './sanitize-policy.ts';

const allowedTags = new Set(ALLOWED_TAGS);
const nonTextTags = new Set(NON_TEXT_TAGS);
const globalAttributes = new Set(ALLOWED_ATTRIBUTES['*']);

/** Removes what the policy forbids below `root` (root itself is kept as a container). */
export function sanitizeDom(root: Element): void {
  // Snapshot first: the tree changes while we go.
  const elements = Array.from(root.querySelectorAll('*'));
  for (const element of elements) {
    const tag = element.localName.toLowerCase();
    if (!element.parentNode) continue;
    if (nonTextTags.has(tag)) {
      element.remove();
      continue;
    }
    if (!allowedTags.has(tag)) {
      unwrap(element);
      continue;
    }
    const allowed = ALLOWED_ATTRIBUTES[tag];
    for (const name of element.getAttributeNames()) {
      if (!globalAttributes.has(name) && !(allowed?.includes(name) ?? false)) element.removeAttribute(name);
    }
    if (tag === 'a') {
      const href = element.getAttribute('href');
      if (href !== null && !SAFE_HREF.test(href.trim())) element.removeAttribute('href');
      element.setAttribute('rel', LINK_REL);
    } else if (tag === 'img') {
      const src = element.getAttribute('src');
      if (src === null || !SAFE_SRC.test(src.trim())) element.remove();
    } else if (tag === 'source') {
      const srcset = element.getAttribute('srcset');
      if (srcset !== null && !SAFE_SRC.test(srcset.trim())) element.removeAttribute('srcset');
    }
  }
  // Comments can hide conditional markup; they are never content.
  removeComments(root);
}

/** Replaces an element by its children. */
export function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  element.remove();
}

function removeComments(root: Element): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    for (let child = node.firstChild; child; ) {
      const next = child.nextSibling;
      if (child.nodeType === 8) child.parentNode?.removeChild(child);
      else if (child.nodeType === 1) stack.push(child);
      child = next;
    }
  }
}
