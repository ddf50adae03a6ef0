// `embed-dashboard/react`: <EmbedDashboard> for React 18 and 19, made with @lit/react, which sets
// `context`, `options`, `headers`, `fetchTokens` and `sessionOptions` as properties and adds the
// listeners itself (React 18 can do neither with a bare custom element). Importing it registers the
// element and the built-in vendors, and adds `<embed-dashboard>` to React 19's `React.JSX` types.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { EmbedDashboard as EmbedDashboardElement } from './define.js';
import type { EmbedDashboardJsxAttributes } from './element/jsx.js';
import type { EmbedErrorDetail, EmbedExpiredDetail, EmbedReadyDetail, EmbedTokenDetail } from './element/events.js';

/**
 * The React component for `<embed-dashboard>`: every attribute and property of the element as a
 * camelCase prop (`vendor`, `identityUrl`, `dashboardId`, `context`, `options`, …), plus
 * `onEmbedReady`, `onEmbedError`, `onEmbedToken` and `onEmbedExpired`. Pass stable `headers` and
 * `fetchTokens` functions (`useCallback`) and memoised `context` / `options` objects.
 */
export const EmbedDashboard = createComponent({
  react: React,
  tagName: 'embed-dashboard',
  elementClass: EmbedDashboardElement,
  displayName: 'EmbedDashboard',
  events: {
    /** New tokens reached the embed; carries their expiry, never the tokens. */
    onEmbedToken: 'embed-token' as EventName<CustomEvent<EmbedTokenDetail>>,
    /** The vendor embed is mounted with valid tokens. */
    onEmbedReady: 'embed-ready' as EventName<CustomEvent<EmbedReadyDetail>>,
    /** Something failed: `code`, `message`, `retriable`, `attempt`, `nextRetryAt`. */
    onEmbedError: 'embed-error' as EventName<CustomEvent<EmbedErrorDetail>>,
    /** Tokens expired before new ones came; the embed is hidden until they do. */
    onEmbedExpired: 'embed-expired' as EventName<CustomEvent<EmbedExpiredDetail>>,
  },
});

/** The props of {@link EmbedDashboard}. */
export type EmbedDashboardProps = React.ComponentProps<typeof EmbedDashboard>;

export type { EmbedTokenDetail, EmbedReadyDetail, EmbedErrorDetail, EmbedExpiredDetail };

// An augmentation (this file is a module), so React's own declarations stay as they are.
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'embed-dashboard': EmbedDashboardJsxAttributes;
    }
  }
}
