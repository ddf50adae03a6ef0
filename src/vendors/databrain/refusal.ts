// Spots DataBrain's plugin giving up on a guest token. Plugin 0.12.9 raises no event for it: its
// dashboard query (keyed by dashboard id only, in a query cache shared by every element on the page)
// retries a refused token 4 times, then settles and shows this text for good, and a token set on the
// element afterwards starts no new query. The text appears exactly when that query has settled, which
// is also the one moment a new element can start a fresh query (an element mounted while the plugin is
// still retrying joins its retries, with the old token).

/** What plugin 0.12.9's `<dbn-dashboard>` shows once DataBrain refused its token (or its dashboard id). */
export const DEFAULT_REFUSAL_TEXT = 'Invalid token or Dashboard id';

/** `<style>` and `<script>` hold text nobody sees. */
function isHidden(node: Node): boolean {
  return node.nodeName === 'STYLE' || node.nodeName === 'SCRIPT';
}

/**
 * True when `node`'s visible text (not the text of `<style>` elements, which hold the plugin's whole
 * stylesheet) contains `text`.
 */
export function showsText(node: Node, text: string): boolean {
  if (isHidden(node) || (node.nodeType === Node.TEXT_NODE && node.parentNode && isHidden(node.parentNode)))
    return false;
  const doc = node.ownerDocument ?? (node as Document);
  const walker = doc.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (current) => (isHidden(current) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let current = walker.currentNode; current; current = walker.nextNode() as Node) {
    if (current.nodeType === Node.TEXT_NODE && current.nodeValue?.includes(text)) return true;
  }
  return false;
}

/**
 * Calls `onRefused` once, when the plugin's element shows `text` in its (open) shadow root. Returns
 * the function that stops watching. Elements without a shadow root are never watched.
 */
export function watchForRefusal(element: HTMLElement, text: string, onRefused: () => void): () => void {
  const root = element.shadowRoot;
  if (!root) return () => undefined;
  const observer = new MutationObserver((records) => {
    // Only what changed is read: the plugin re-renders charts often.
    const changed = records.some((record) =>
      record.type === 'characterData'
        ? showsText(record.target, text)
        : [...record.addedNodes].some((added) => showsText(added, text)),
    );
    if (!changed) return;
    observer.disconnect();
    onRefused();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  if (showsText(root, text)) {
    observer.disconnect();
    queueMicrotask(onRefused);
  }
  return () => observer.disconnect();
}
