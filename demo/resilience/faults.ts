// The demo's fault switch in front of /api/embed/identity: the page's resilience controls set it
// through a small JSON endpoint (only the demo serves it) to take the identity endpoint down, make it
// slow, or make a share of its answers fail. Pure decisions first, then the two Node handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../lib/static.js';

/** Where the page reads (GET) and sets (POST) the fault. */
export const FAULTS_PATH = '/api/demo/faults';

/** What the identity endpoint does: answer, refuse all (503), answer late, or refuse a share. */
export type FaultMode = 'normal' | 'down' | 'slow' | 'failing';

/** The fault in force. */
export interface FaultState {
  mode: FaultMode;
  /** `slow`: seconds each answer is held back (0–30). */
  slowSeconds: number;
  /** `failing`: share of requests answered 503 (0–1), spread evenly (every 2nd for 0.5), not at random. */
  failRate: number;
  /** `down` and `failing`: the `Retry-After` seconds sent with each 503 (0–60). */
  retryAfterSeconds: number;
}

/** What to do with one identity request. */
export type FaultDecision =
  { action: 'pass' } | { action: 'delay'; ms: number } | { action: 'refuse'; retryAfter: number };

export const NORMAL: FaultState = { mode: 'normal', slowSeconds: 3, failRate: 0.5, retryAfterSeconds: 2 };

/** A bad control request: the message says which field and what is allowed. */
export class FaultInputError extends Error {
  readonly code = 'invalid-fault';
}

function numberIn(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new FaultInputError(`"${name}" must be a number from ${min} to ${max}.`);
  return value;
}

/** Merges a control request body into the current state; throws {@link FaultInputError} on a bad field. */
export function parseFault(body: unknown, current: FaultState): FaultState {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FaultInputError('Send a JSON object such as {"mode":"down"}.');
  const input = body as Record<string, unknown>;
  const modes: FaultMode[] = ['normal', 'down', 'slow', 'failing'];
  const mode = input.mode ?? current.mode;
  if (!modes.includes(mode as FaultMode)) throw new FaultInputError(`"mode" must be one of ${modes.join(', ')}.`);
  return {
    mode: mode as FaultMode,
    slowSeconds: numberIn(input.slowSeconds, 'slowSeconds', 0, 30, current.slowSeconds),
    failRate: numberIn(input.failRate, 'failRate', 0, 1, current.failRate),
    retryAfterSeconds: numberIn(input.retryAfterSeconds, 'retryAfterSeconds', 0, 60, current.retryAfterSeconds),
  };
}

/**
 * Decides one request. `credit` carries the failing share between requests (an even spread keeps the
 * demo and its test repeatable): returns the decision and the credit to keep.
 */
export function decideFault(state: FaultState, credit: number): { decision: FaultDecision; credit: number } {
  const refuse: FaultDecision = { action: 'refuse', retryAfter: state.retryAfterSeconds };
  switch (state.mode) {
    case 'down':
      return { decision: refuse, credit };
    case 'slow':
      return { decision: { action: 'delay', ms: state.slowSeconds * 1000 }, credit };
    case 'failing': {
      const next = credit + state.failRate;
      return next >= 1 ? { decision: refuse, credit: next - 1 } : { decision: { action: 'pass' }, credit: next };
    }
    default:
      return { decision: { action: 'pass' }, credit: 0 };
  }
}

/** The switch a demo server holds: its state, the control endpoint and the gate before identity. */
export interface FaultSwitch {
  readonly state: FaultState;
  /** Answers GET / POST on {@link FAULTS_PATH}. */
  control(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Applies the fault to an identity request: true when it answered it (503), else it may have waited. */
  gate(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Releases requests held back by `slow` (at server close). */
  close(): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_BODY = 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) throw new FaultInputError(`The body is over ${MAX_BODY} bytes.`);
  }
  return text;
}

/** A fault switch starting at `normal`. */
export function createFaultSwitch(log: (line: string) => void = () => {}): FaultSwitch {
  let state = NORMAL;
  let credit = 0;
  const held = new Set<() => void>();
  return {
    get state() {
      return state;
    },
    async control(req, res) {
      if (req.method === 'GET') return send(res, 200, JSON.stringify(state), JSON_TYPE);
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed\n', 'text/plain', { allow: 'GET, POST' });
      try {
        state = parseFault(JSON.parse(await readBody(req)) as unknown, state);
      } catch (error) {
        const message = error instanceof FaultInputError ? error.message : 'The body is not JSON.';
        return send(res, 400, JSON.stringify({ error: { code: 'invalid-fault', message } }), JSON_TYPE);
      }
      credit = 0;
      log(`identity endpoint fault: ${state.mode}`);
      return send(res, 200, JSON.stringify(state), JSON_TYPE);
    },
    async gate(_req, res) {
      const step = decideFault(state, credit);
      credit = step.credit;
      const { decision } = step;
      if (decision.action === 'refuse') {
        // The shape of the server module's own error answers.
        const body = JSON.stringify({
          error: { code: 'unavailable', message: 'The demo switched the identity endpoint to fail.' },
        });
        send(res, 503, body, JSON_TYPE, { 'retry-after': String(decision.retryAfter) });
        return true;
      }
      if (decision.action === 'delay') {
        await new Promise<void>((resolve) => {
          const release = (): void => {
            clearTimeout(timer);
            held.delete(release);
            resolve();
          };
          const timer = setTimeout(release, decision.ms);
          held.add(release);
        });
      }
      return false;
    },
    close() {
      for (const release of [...held]) release();
    },
  };
}
