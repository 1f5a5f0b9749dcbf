/** Types of scripts/build.mjs for the TypeScript that calls it (the test setup). */
export declare const ENTRY: string;
export declare function buildCli(root?: string): Promise<{ entry: string; built: boolean }>;
