/** Types of scripts/check-architecture.mjs for the TypeScript that calls it (its test). */
export declare const LAYERS: Readonly<Record<string, number>>;
export declare const MAX_SOURCE_LINES: number;
export declare function checkArchitecture(root: string): string[];
export declare function checkFileLengths(root: string): string[];
