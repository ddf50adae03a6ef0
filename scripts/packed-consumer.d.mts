// Types of packed-consumer.mjs, for the TypeScript tests that use it.
export declare const repoRoot: string;
export declare const PACKAGE_DEPENDENCIES: string[];
export declare function packedPackage(): string;
export declare function createConsumer(
  name: string,
  options?: { files?: Record<string, string>; dependencies?: string[] },
): { dir: string; remove(): void };
