/** Types of bin/dist.js for the TypeScript that calls it (the build script's tests). */
export declare function freshEntry(root: string): string | undefined;
