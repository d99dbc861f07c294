// The house rule "arrows point down only": no file under src/ reaches itself through its imports.
// Every import counts, `import type`, re-exports and the `import()` that loads a handler on first
// use included, since a cycle through a type is still two files that each need the other.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every .ts file under `dir`, as paths relative to the repository root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** The files under src/ that `file` imports: relative specifiers only, packages are not ours. */
function localImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

type Graph = ReadonlyMap<string, readonly string[]>;

function importGraph(files: readonly string[]): Graph {
  return new Map(files.map((file) => [file, localImports(file)]));
}

/**
 * Every strongly connected component with more than one file, or one file importing itself
 * (Tarjan's algorithm): each is a cycle, listed in a stable order for the failure message.
 */
function importCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;

  const visit = (file: string): void => {
    index.set(file, next);
    lowLink.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
      cycles.push(component.sort());
    }
  };

  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe("src/ import graph", () => {
  it("has no import cycle, type imports and dynamic imports included", () => {
    const graph = importGraph(sourceFiles("src"));
    // A specifier the graph cannot resolve would hide its edge, and with it any cycle through it.
    const unresolved = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((target) => `${file} -> ${target}`),
    );
    assert.deepEqual(unresolved, [], "imports that name no file under src/");
    const cycles = importCycles(graph);
    assert.deepEqual(
      cycles.map((files) => files.join(" <-> ")),
      [],
      "files that reach themselves through their imports; give what they share one home below them",
    );
  });

  it("sees every import form, so a cycle through any of them is found", () => {
    const graph = new Map<string, string[]>([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
      ["e.ts", ["e.ts"]],
    ]);
    assert.deepEqual(importCycles(graph), [["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
    const forms = [
      `import type { T } from "./t.ts";`,
      `import { type T } from "./t.ts";`,
      `export type { T } from "./t.ts";`,
      `export * from "./t.ts";`,
      `const m = await import("./t.ts");`,
    ];
    for (const form of forms) {
      const found = ts.preProcessFile(form, true, true).importedFiles.map((f) => f.fileName);
      assert.deepEqual(found, ["./t.ts"], form);
    }
  });
});
