import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { EmbedError, isEmbedError } from '../errors.js';
import type { TokenSession } from '../token/session.js';
import type { VendorEmbed } from '../vendors/contract.js';
import { parseConfig, type EmbedInputs, type SessionSettings } from './config.js';
import { elementLog } from './debug-log.js';
import { EmbedMount, type EmbedState } from './embed-mount.js';
import { emit, errorDetail } from './events.js';
import { valueKey } from './inputs.js';

export type { EmbedState } from './embed-mount.js';

/** The element the controller drives: its inputs and `debug`. */
export type EmbedControllerHost = ReactiveControllerHost &
  HTMLElement &
  EmbedInputs & { sessionOptions?: SessionSettings | null; debug?: boolean };

/** What the element lets its controller do to it. */
export interface EmbedControllerOutlets {
  /** The names of the host's properties that re-mount the embed. */
  inputs: readonly string[];
  /** The light-DOM box the vendor's embed renders into. */
  container: HTMLElement;
  setState(state: EmbedState, error?: EmbedError): void;
  setContentHeight(heightPx: number | null): void;
}

/**
 * The element's life cycle as a Lit ReactiveController: it mounts the embed when the element is
 * connected, re-mounts it when an input changes to a different value (compared by value, as a
 * snapshot taken at mount), and releases it when the element goes away. A move (removed and
 * re-inserted in the same task) keeps the mount, its session and its tokens.
 */
export class EmbedController implements ReactiveController {
  readonly #host: EmbedControllerHost;
  readonly #outlets: EmbedControllerOutlets;
  #mount: EmbedMount | null = null;
  #configError: EmbedError | null = null;
  // valueKey of the inputs the current mount (or config error) came from; null = nothing applied.
  #applied: string | null = null;
  #dirty = true;
  #leaving = false;

  constructor(host: EmbedControllerHost, outlets: EmbedControllerOutlets) {
    this.#host = host;
    this.#outlets = outlets;
    host.addController(this);
  }

  /** The session the embed shares (for `refresh()`), once mounted. */
  get session(): TokenSession | null {
    return this.#mount?.session ?? null;
  }

  /** The mounted vendor embed, once ready. */
  get vendorEmbed(): VendorEmbed | null {
    return this.#mount?.vendorEmbed ?? null;
  }

  /** Why the inputs cannot be mounted, when they cannot. */
  get configError(): EmbedError | null {
    return this.#configError;
  }

  /** An input was set: the next update compares the inputs with the mounted ones. */
  inputsChanged(): void {
    this.#dirty = true;
  }

  /** Lit hook: connected, or back from a move (then nothing changes). */
  hostConnected(): void {
    if (this.#leaving) {
      // Moved: disconnected and connected again before the teardown ran.
      this.#leaving = false;
      return;
    }
    this.#dirty = true;
    this.#host.requestUpdate();
  }

  /** Lit hook: disconnected; the embed goes a microtask later unless the element comes back. */
  hostDisconnected(): void {
    // Torn down a microtask later, so a move (or React StrictMode) keeps the mount and its session.
    this.#leaving = true;
    queueMicrotask(() => {
      if (!this.#leaving) return;
      this.#leaving = false;
      this.#stop();
    });
  }

  /** Lit hook, before each update: (re-)mounts when the inputs differ from the mounted ones. */
  hostUpdate(): void {
    if (!this.#dirty || !this.#host.isConnected) return;
    this.#dirty = false;
    const host = this.#host;
    const applied = valueKey(this.#outlets.inputs.map((name) => (host as unknown as Record<string, unknown>)[name]));
    if (applied === this.#applied) return;
    this.#stop();
    this.#applied = applied;
    const log = elementLog(`${host.vendor ?? '?'}/${host.dashboardId ?? ''}`, host.sessionOptions ?? {}, () =>
      Boolean(host.debug || host.sessionOptions?.debug),
    );
    let config;
    try {
      rejectObjectAttributes(host);
      config = parseConfig(host);
    } catch (error) {
      if (!isEmbedError(error)) throw error;
      this.#configError = error;
      log({ type: 'invalid-input', error });
      this.#outlets.setState('error', error);
      emit(host, 'embed-error', errorDetail(error));
      return;
    }
    const { container } = this.#outlets;
    if (container.parentNode !== host) host.append(container);
    this.#mount = new EmbedMount(
      {
        element: host,
        container,
        setState: this.#outlets.setState,
        setContentHeight: this.#outlets.setContentHeight,
        log,
      },
      config,
      host.sessionOptions ?? {},
    );
    this.#mount.start();
  }

  #stop(): void {
    this.#mount?.stop();
    this.#mount = null;
    this.#configError = null;
    this.#applied = null;
    // Whatever an adapter left behind goes with it.
    this.#outlets.container.replaceChildren();
  }
}

/**
 * `context="[object Object]"`: a framework set an object as an attribute because the element was
 * not registered yet when it rendered. Say so instead of silently sending no context.
 */
function rejectObjectAttributes(element: HTMLElement): void {
  for (const name of ['context', 'options']) {
    if (element.hasAttribute(name)) {
      throw new EmbedError(
        'invalid-attribute',
        `"${name}" is a property, not an attribute: set element.${name} = {...}. Frameworks set it as a property once embed-dashboard/define is imported before they render.`,
        { attribute: name },
      );
    }
  }
}
