// Mocha's BDD globals in the browser test page (@types/mocha is not installed on purpose: it would
// clash with node:test's types in the one tsconfig).
type Done = (error?: unknown) => void;
type Body = (this: { timeout(ms: number): void }, done: Done) => void | Promise<unknown>;
declare global {
  function describe(title: string, body: () => void): void;
  function it(title: string, body: Body | (() => void | Promise<unknown>)): void;
  function before(body: () => void | Promise<unknown>): void;
  function after(body: () => void | Promise<unknown>): void;
  function beforeEach(body: () => void | Promise<unknown>): void;
  function afterEach(body: () => void | Promise<unknown>): void;
}
export {};
