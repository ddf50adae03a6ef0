/**
 * A `Request` that is only built when something needs more of it than its method, URL and headers.
 *
 * Why: on Node 20 `new Request(...)` costs more than all of the identity endpoint's own work (it
 * creates an AbortController, converts the init dictionary and copies the headers), while
 * `authenticate` and the core only ever read the method, URL and headers. `toNodeHandler` hands
 * over this stand-in instead: it is `instanceof Request`, and any other member (`signal`,
 * `clone()`, `body`, the undici internals `fetch(request)` reads…) is answered by a real Request
 * built once, on first use, from the same method, URL and headers. @hono/node-server serves Web
 * handlers the same way, for the same reason.
 */

/** Node's `util.inspect.custom`, by its registered name (no `node:util` import). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Reads the real Request through the proxy (module-private). */
const REAL = Symbol('real request');

type Inspect = (value: unknown, options: unknown) => string;

/** The proxy's target: the request's parts, kept in private fields so that no own key shows. */
class RequestHead {
  readonly #method: string;
  readonly #url: string;
  readonly #buildHeaders: () => Headers;
  #headers: Headers | undefined;
  #real: Request | undefined;
  #bound: Map<PropertyKey, unknown> | undefined;

  constructor(method: string, url: string, buildHeaders: () => Headers) {
    this.#method = method;
    this.#url = url;
    this.#buildHeaders = buildHeaders;
  }

  /** What `request[key]` gives: method, URL and headers from here, anything else from the real Request. */
  member(key: PropertyKey): unknown {
    if (key === 'method') return this.#method;
    if (key === 'url') return this.#url;
    if (key === 'headers') return this.#headersOf();
    if (key === REAL) return this.#realOf();
    const request = this.#realOf();
    const value: unknown = Reflect.get(request, key, request);
    if (typeof value !== 'function' || key === 'constructor') return value;
    // Methods run on the real Request, so implementations with private fields work too; bound once,
    // so that `request.clone === request.clone` as on a real Request.
    this.#bound ??= new Map();
    let bound = this.#bound.get(key);
    if (bound === undefined) this.#bound.set(key, (bound = (value as (...args: unknown[]) => unknown).bind(request)));
    return bound;
  }

  /** The real Request, from the target or through the proxy. */
  get [REAL](): Request {
    return this.#realOf();
  }

  /**
   * console.log(request) shows the real request: Request's own inspect would trip over the target's
   * brand checks. Node finds this on the target but calls it on the proxy, hence `this[REAL]`.
   */
  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return inspect(this[REAL], options);
  }

  #headersOf(): Headers {
    return (this.#headers ??= this.#buildHeaders());
  }

  #realOf(): Request {
    return (this.#real ??= new Request(this.#url, { method: this.#method, headers: this.#headersOf() }));
  }
}
// `instanceof Request` holds: the proxy reports its target's prototype chain.
Object.setPrototypeOf(RequestHead.prototype, Request.prototype);

const handler: ProxyHandler<RequestHead> = {
  get: (head, key) => head.member(key),
};

/**
 * A bodyless Request for `method` and `url` (already normalised, as `new URL(...).href`), whose
 * headers come from `buildHeaders` when first read. `headers` is the same object on every read,
 * and the real Request, when one is needed, is built from it.
 */
export function lazyRequest(method: string, url: string, buildHeaders: () => Headers): Request {
  return new Proxy(new RequestHead(method, url, buildHeaders), handler) as unknown as Request;
}
