// The page's resilience controls: the identity endpoint's fault (normal, down, slow, failing; set on
// the demo server through its JSON control endpoint) and the page's clocks (wall clock ±1 h, a
// simulated sleep; through the clock shim). Each button says what it simulates; the note under them
// says what cannot be simulated.
import { clockOffsets, resetWallClock, shiftWallClock, simulateSleep } from './clock-shim.js';

/** The demo server's fault endpoint (see demo/resilience/faults.ts). */
const FAULTS_URL = '/api/demo/faults';
const HOUR_MS = 60 * 60_000;

interface FaultButton {
  mode: 'normal' | 'down' | 'slow' | 'failing';
  label: string;
  title: string;
}

const FAULT_BUTTONS: FaultButton[] = [
  { mode: 'normal', label: 'Normal', title: 'The identity endpoint answers at once.' },
  { mode: 'down', label: 'Down', title: 'Every identity request gets 503 with Retry-After: 2.' },
  { mode: 'slow', label: 'Slow', title: 'Every identity answer is held back the seconds given.' },
  { mode: 'failing', label: 'Failing (50 %)', title: 'Every second identity request gets 503.' },
];

function button(label: string, control: string, title: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.title = title;
  element.dataset['control'] = control;
  element.addEventListener('click', onClick);
  return element;
}

function numberInput(control: string, min: string, max: string, value: string, label: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'number';
  input.min = min;
  input.max = max;
  input.value = value;
  input.dataset['control'] = control;
  input.setAttribute('aria-label', label);
  return input;
}

function row(name: string, ...children: HTMLElement[]): HTMLDivElement {
  const div = document.createElement('div');
  div.className = 'resilience-row';
  const heading = document.createElement('span');
  heading.className = 'resilience-name';
  heading.textContent = name;
  div.append(heading, ...children);
  return div;
}

/** Fills `root` with the controls; `status` reports the fault and clock offsets in force. */
export function mountControls(root: HTMLElement): void {
  const status = document.createElement('output');
  status.dataset['role'] = 'resilience-status';
  let fault = 'normal';
  const showStatus = (): void => {
    const { wallShiftMs, sleptMs } = clockOffsets();
    const shift = wallShiftMs === 0 ? 'right' : `${wallShiftMs > 0 ? '+' : '−'}${Math.abs(wallShiftMs / HOUR_MS)} h`;
    status.textContent = `Identity endpoint: ${fault} · wall clock: ${shift} · slept: ${Math.round(sleptMs / 60_000)} min`;
    root.dataset['fault'] = fault;
  };

  const slowSeconds = numberInput('slow-seconds', '0', '30', '3', 'Delay of each identity answer in seconds');
  async function setFault(mode: FaultButton['mode']): Promise<void> {
    const response = await fetch(FAULTS_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode, slowSeconds: Math.min(30, Math.max(0, Number(slowSeconds.value) || 0)) }),
    });
    const answer = (await response.json()) as { mode?: string; error?: { message: string } };
    fault = response.ok && answer.mode ? answer.mode : `unchanged (${answer.error?.message ?? response.status})`;
    showStatus();
  }

  const faultButtons = FAULT_BUTTONS.map((spec) =>
    button(spec.label, `fault-${spec.mode}`, spec.title, () => void setFault(spec.mode)),
  );
  const minutes = numberInput('sleep-minutes', '1', '600', '30', 'Sleep length in minutes');
  const clockButtons = [
    button('Clock +1 h', 'clock-forward', 'Moves the wall clock (Date) an hour ahead; performance.now stays.', () =>
      shiftWallClock(HOUR_MS),
    ),
    button('Clock −1 h', 'clock-back', 'Moves the wall clock (Date) an hour back; performance.now stays.', () =>
      shiftWallClock(-HOUR_MS),
    ),
    button('Reset clock', 'clock-reset', 'Takes the wall-clock shift back.', () => resetWallClock()),
  ];
  const sleep = button(
    'Sleep',
    'sleep',
    'Jumps both clocks forward, then fires visibilitychange, focus and pageshow, as a waking laptop does.',
    () => simulateSleep(Math.min(600, Math.max(1, Number(minutes.value) || 30)) * 60_000),
  );
  const unit = (text: string): HTMLSpanElement => {
    const span = document.createElement('span');
    span.textContent = text;
    return span;
  };

  const heading = document.createElement('h2');
  heading.textContent = 'Resilience';
  const intro = document.createElement('p');
  intro.textContent =
    'Break things and watch the timelines under each dashboard: a bar per token set from receipt to expiry, ▲ a refresh, ✕ a failure, ● expired or ready, dashed lines for clock changes. ' +
    'While the endpoint is down the dashboards stay up until their tokens expire, then hide, and come back once it answers. Shifting the wall clock should change nothing; after a sleep each dashboard refreshes at once or shows "expired".';
  const note = document.createElement('p');
  note.className = 'resilience-note';
  note.textContent =
    'What this cannot simulate: during a "sleep" the page\'s real timers keep running (a suspended laptop runs none), only this page\'s clocks move (the Formant and Looker iframes and the server keep theirs), and the faults apply to /api/embed/identity only.';
  root.append(
    heading,
    intro,
    row('Identity endpoint', ...faultButtons, slowSeconds, unit('s delay when slow')),
    row('Page clock', ...clockButtons, minutes, unit('min'), sleep),
    status,
    note,
  );
  window.addEventListener('demo-clock-change', showStatus);
  showStatus();
  // The server keeps its fault across page reloads: show the one in force.
  void fetch(FAULTS_URL)
    .then((response) => response.json() as Promise<{ mode?: string }>)
    .then((state) => {
      if (state.mode) fault = state.mode;
      showStatus();
    })
    .catch(() => {});
}
