/** Heights a vendor reports at or below this (CSS px) are ignored, as Looker's own SDK does. */
export const MIN_REPORTED_HEIGHT = 100;

/**
 * What a vendor's height report means for the element: a height to follow (whole CSS pixels,
 * rounded up so nothing is clipped), `null` to return to the element's own height, or `undefined`
 * to ignore the report (≤ 100 px, not a finite number) and keep the height it has.
 */
export function followedHeight(reported: number | null): number | null | undefined {
  if (reported === null) return null;
  if (typeof reported !== 'number' || !Number.isFinite(reported) || reported <= MIN_REPORTED_HEIGHT) return undefined;
  return Math.ceil(reported);
}

/**
 * The rule that gives the element a vendor's content height: it sets
 * `--embed-dashboard-content-height` on the host from a stylesheet of its shadow root, so the app's
 * own inline styles and class bindings are never touched. `--embed-dashboard-height`, or any height the
 * app's CSS gives the element, still wins (that is how an app keeps a fixed height).
 */
export function contentHeightRule(heightPx: number | null): string {
  return heightPx === null ? '' : `:host{--embed-dashboard-content-height:${heightPx}px}`;
}
