import { css } from '@lit/reactive-element';

/**
 * Custom properties:
 * - `--embed-dashboard-height`: a fixed height; unset, the element follows the height the vendor
 *   reports (`--embed-dashboard-content-height`, set by the element), else 600px
 * - `--embed-dashboard-min-height` (default 200px)
 * - `--embed-dashboard-overlay-background`, `--embed-dashboard-overlay-color`
 * - `--embed-dashboard-error-color`
 * - `--embed-dashboard-font`
 */
// These rules live in the shadow root: they style the element's own box and overlay and never
// reach the page. The vendor's embed is a light-DOM child shown through the `embed` slot, so page
// CSS (the vendor's own included) reaches it; `::slotted` only gives it defaults the page may
// override. The embed is hidden, never shown stale, while the state is expired or error: opacity
// as well as visibility, because a descendant's `visibility: visible` would undo the latter alone.
export const styles = css`
  :host {
    display: block;
    position: relative;
    box-sizing: border-box;
    height: var(--embed-dashboard-height, var(--embed-dashboard-content-height, 600px));
    min-height: var(--embed-dashboard-min-height, 200px);
  }
  :host([hidden]) {
    display: none;
  }
  .embed {
    width: 100%;
    height: 100%;
    overflow: auto;
  }
  .embed.off {
    visibility: hidden;
    opacity: 0;
  }
  ::slotted([slot='embed']) {
    display: block;
    width: 100%;
    height: 100%;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 1rem;
    text-align: center;
    background: var(--embed-dashboard-overlay-background, transparent);
    color: var(--embed-dashboard-overlay-color, inherit);
    font: var(--embed-dashboard-font, inherit);
  }
  [part~='error'] {
    color: var(--embed-dashboard-error-color, #b00020);
  }
`;
