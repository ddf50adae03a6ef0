import { css } from '@lit/reactive-element';

/**
 * Custom properties:
 * - `--embed-dashboard-height` (default 600px), `--embed-dashboard-min-height` (default 200px)
 * - `--embed-dashboard-overlay-background`, `--embed-dashboard-overlay-color`
 * - `--embed-dashboard-error-color`
 * - `--embed-dashboard-font`
 */
// Written compact: minifiers leave the insides of css`` alone. The embed is hidden, never shown
// stale, while the state is expired or error.
export const styles = css`
  :host {
    display: block;
    position: relative;
    box-sizing: border-box;
    height: var(--embed-dashboard-height, 600px);
    min-height: var(--embed-dashboard-min-height, 200px);
  }
  :host([hidden]) {
    display: none;
  }
  .embed {
    width: 100%;
    height: 100%;
  }
  :host([state='expired']) .embed,
  :host([state='error']) .embed {
    visibility: hidden;
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
