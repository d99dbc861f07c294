import { createRequire } from "node:module";

/**
 * Loads a Node built-in module the CommonJS way, when first needed. A static import would load
 * it at every start, and Node wraps an imported built-in in an ES module namespace of all its
 * exports: for node:fs that costs more than the write it is used for. Every hook pays start-up.
 */
export const requireBuiltin = createRequire(import.meta.url) as <T>(id: `node:${string}`) => T;
