/** Types of scripts/build.mjs for the TypeScript that calls it (the test setup). */
export declare const ENTRY: string;
export declare function buildCli(root?: string): Promise<{ entry: string; built: boolean }>;
export declare function stopBuilds(): Promise<void>;
/** The SDK module indexes that the build, and the tests, load through `require` so only used classes load. */
export declare const SDK_INDEX: RegExp;
