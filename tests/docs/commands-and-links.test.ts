// The docs cannot drift from the charm: every `juju run` of ours shown in README.md and docs/
// names an action and parameters actions.yaml declares (with the right types and every required
// one), every `npm run` a script package.json has, every `npm run sim --` a command the
// simulator's CLI takes, and every relative link a file (and heading) that exists.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { commandNames } from "../simulator/cli-commands.ts";
import { anchors, fences, links, shellCommands, type ShellCommand } from "./markdown.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Names our application goes by in the docs; `$app` is set to it where a page uses it. */
const OUR_APPS = new Set(["tls-certificates-operator", "$app", "${app}"]);

/** `juju run` options that take the next word as their value (cmd/juju/action/run.go). */
const JUJU_RUN_VALUE_FLAGS = new Set(["--params", "--format", "-o", "--output", "--wait", "-m"]);

const Param = z.object({ type: z.string().optional(), enum: z.array(z.string()).optional() });
const Actions = z.record(
  z.string(),
  z.object({
    params: z.record(z.string(), Param).optional(),
    required: z.array(z.string()).optional(),
  }),
);
type ActionSpecs = z.infer<typeof Actions>;

interface Page {
  /** Path from the repository root. */
  readonly path: string;
  readonly text: string;
}

interface Knowledge {
  readonly actions: ActionSpecs;
  readonly scripts: ReadonlySet<string>;
  readonly simCommands: ReadonlySet<string>;
  readonly exists: (path: string) => boolean;
  readonly read: (path: string) => string;
}

function docPages(): Page[] {
  const docs = readdirSync(join(ROOT, "docs"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
  return ["README.md", ...docs.sort()].map((path) => ({
    path,
    text: readFileSync(join(ROOT, path), "utf8"),
  }));
}

function repositoryKnowledge(): Knowledge {
  const packageJson = z
    .object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")));
  return {
    actions: Actions.parse(parse(readFileSync(join(ROOT, "actions.yaml"), "utf8"))),
    scripts: new Set(Object.keys(packageJson.scripts)),
    simCommands: new Set(commandNames()),
    exists: (path) => existsSync(join(ROOT, path)),
    read: (path) => readFileSync(join(ROOT, path), "utf8"),
  };
}

const isVariable = (value: string): boolean => /^"?\$/.test(value);
const unquoted = (value: string): string => value.replace(/^(["'])(.*)\1$/, "$2");

/** Problems with one `run <unit>... <action> k=v...` (words after `run`), as messages. */
function checkActionRun(words: readonly string[], actions: ActionSpecs): string[] {
  const positional: string[] = [];
  let paramsFile = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith("-")) {
      const flag = word.split("=")[0]!;
      if (flag === "--params") paramsFile = true;
      if (!word.includes("=") && JUJU_RUN_VALUE_FLAGS.has(flag)) i++;
      continue;
    }
    positional.push(word);
  }
  const targets = positional.filter((word) => word.includes("/") && !word.includes("="));
  const [action, ...rest] = positional.slice(targets.length);
  if (action === undefined) return ["juju run names no action"];
  const spec = actions[action];
  if (spec === undefined) {
    const ours = targets.some((target) => OUR_APPS.has(target.split("/")[0]!));
    return ours ? [`unknown action ${action} (not in actions.yaml)`] : [];
  }
  const problems: string[] = [];
  const given = new Set<string>();
  for (const pair of rest) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      problems.push(`${action}: "${pair}" is not key=value`);
      continue;
    }
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    given.add(key);
    const param = spec.params?.[key];
    if (param === undefined) {
      problems.push(`${action}: unknown parameter ${key} (not in actions.yaml)`);
      continue;
    }
    if (isVariable(value)) continue;
    if (param.type === "integer" && !/^-?\d+$/.test(unquoted(value))) {
      problems.push(`${action}: ${key}=${value} is not an integer`);
    }
    if (param.enum !== undefined && !param.enum.includes(unquoted(value))) {
      problems.push(`${action}: ${key}=${value} is not one of ${param.enum.join(", ")}`);
    }
  }
  if (!paramsFile) {
    for (const key of spec.required ?? []) {
      if (!given.has(key)) problems.push(`${action}: required parameter ${key} is missing`);
    }
  }
  return problems;
}

/** Problems with one simple command of a shell example. */
function checkCommand({ words }: ShellCommand, known: Knowledge): string[] {
  // Keywords and assignments that can lead a command in a loop or a one-liner.
  let start = 0;
  while (
    start < words.length &&
    (["do", "then", "else", "{", "(", "time"].includes(words[start]!) ||
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!))
  ) {
    start++;
  }
  const [command, sub, ...rest] = words.slice(start);
  if (command === "juju" && sub === "run") return checkActionRun(rest, known.actions);
  if (command !== "npm" || sub !== "run") return [];
  const args = rest.filter((word) => word !== "--silent" && word !== "-s");
  const [script, dashes, simCommand, ...simArgs] = args;
  if (script === undefined) return [];
  if (!known.scripts.has(script)) return [`npm run ${script}: no such script in package.json`];
  if (script !== "sim" || dashes !== "--" || simCommand === undefined) return [];
  if (!known.simCommands.has(simCommand)) {
    return [`npm run sim -- ${simCommand}: the simulator's CLI has no such command`];
  }
  return simCommand === "run" ? checkActionRun(simArgs, known.actions) : [];
}

const SHELL = new Set(["sh", "shell", "bash", "console", "zsh"]);

/** Every problem in the shell examples of the pages, as `file:line: message`. */
function commandProblems(pages: readonly Page[], known: Knowledge): string[] {
  return pages.flatMap((page) =>
    fences(page.text)
      .filter((fence) => SHELL.has(fence.lang))
      .flatMap((fence) => shellCommands(fence.lines, fence.line))
      .flatMap((command) =>
        checkCommand(command, known).map((problem) => `${page.path}:${command.line}: ${problem}`),
      ),
  );
}

/** Every relative link of the pages that leads nowhere, as `file:line: message`. */
function linkProblems(pages: readonly Page[], known: Knowledge): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    for (const { target, line } of links(page.text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
      const [pathPart = "", fragment] = target.split("#");
      const path = pathPart === "" ? page.path : join(dirname(page.path), pathPart);
      const where = `${page.path}:${line}`;
      if (!known.exists(path)) {
        problems.push(`${where}: ${target} does not exist`);
        continue;
      }
      if (fragment === undefined || !path.endsWith(".md")) continue;
      if (!anchors(known.read(path)).has(fragment)) {
        problems.push(`${where}: ${target}: ${path} has no heading #${fragment}`);
      }
    }
  }
  return problems;
}

describe("the docs", () => {
  const pages = docPages();
  const known = repositoryKnowledge();

  it("read README.md and every page under docs/", () => {
    assert.ok(pages.length > 5, `only ${pages.map((p) => p.path).join(", ")}`);
    assert.ok(known.simCommands.has("run") && known.simCommands.has("deploy"));
  });

  it("show only actions and parameters actions.yaml declares, typed and complete", () => {
    assert.deepEqual(commandProblems(pages, known), []);
  });

  it("link only to files and headings that exist", () => {
    assert.deepEqual(linkProblems(pages, known), []);
  });
});

describe("the docs check", () => {
  const known: Knowledge = {
    ...repositoryKnowledge(),
    exists: (path) => ["docs/a.md", "docs/b.md"].includes(path),
    read: () => "# Title\n\n## Sign it\n",
  };
  const page = (text: string): Page[] => [{ path: "docs/a.md", text }];

  it("names file and line of an unknown action, parameter, type, enum or missing parameter", () => {
    const text = [
      "# Page",
      "",
      "```sh",
      "juju run tls-certificates-operator/leader get-outstanding-certificate-request",
      "juju run $app/leader get-certificate-request relation-id=x format=pem",
      "juju run tls-certificates-operator/0 provide-certificate \\",
      '  certificate="$(base64 -w0 cert.pem)" ca-cert="$(base64 -w0 ca.pem)"',
      "npm run sim -- run tls-certificates-operator/leader revoke-certificate",
      "npm run sim -- undeploy x",
      "npm run nonesuch",
      "juju run tls-certificates-requirer/0 get-certificate --format=json | jq .",
      "juju run $app/leader provide-certificates --params params.yaml",
      "```",
    ].join("\n");
    assert.deepEqual(commandProblems(page(text), known), [
      "docs/a.md:4: unknown action get-outstanding-certificate-request (not in actions.yaml)",
      "docs/a.md:5: get-certificate-request: relation-id=x is not an integer",
      "docs/a.md:5: get-certificate-request: format=pem is not one of json, text",
      "docs/a.md:6: provide-certificate: unknown parameter ca-cert (not in actions.yaml)",
      "docs/a.md:6: provide-certificate: required parameter certificate-signing-request is missing",
      "docs/a.md:6: provide-certificate: required parameter ca-certificate is missing",
      "docs/a.md:8: revoke-certificate: required parameter certificate-signing-request is missing",
      "docs/a.md:9: npm run sim -- undeploy: the simulator's CLI has no such command",
      "docs/a.md:10: npm run nonesuch: no such script in package.json",
    ]);
  });

  it("names file and line of a link to a missing file or heading", () => {
    const text = [
      "See [b](b.md#sign-it), [c](c.md), [heading](#title) and [gone](#nothing).",
      "[policy](how-to/nonesuch.md) and `[code](not-a-link.md)` and <https://x.org>.",
      "",
      "```md",
      "[in a fence](fence.md)",
      "```",
    ].join("\n");
    assert.deepEqual(linkProblems(page(text), known), [
      "docs/a.md:1: c.md does not exist",
      "docs/a.md:1: #nothing: docs/a.md has no heading #nothing",
      "docs/a.md:2: how-to/nonesuch.md does not exist",
    ]);
  });
});

// Guards the guard: the extraction sees what the pages hold.
describe("the docs extraction", () => {
  it("finds the commands of a loop and of a pipeline", () => {
    const words = shellCommands(
      [
        "for csr in csr-*.pem; do",
        '  juju run $app/leader provide-certificate certificate-signing-request="$(base64 -w0 "$csr")" \\',
        '    certificate="$(base64 -w0 "${csr%.pem}.crt")" ca-certificate="$(base64 -w0 ca.pem)"',
        "done",
        "juju run $app/leader get-outstanding-certificate-requests format=pem --format=json | jq -r '.[].results.result' > out.pem",
      ],
      1,
    ).map((command) => command.words.slice(0, 4).join(" "));
    assert.deepEqual(words, [
      "for csr in csr-*.pem",
      "do",
      "juju run $app/leader provide-certificate",
      "done",
      "juju run $app/leader get-outstanding-certificate-requests",
      "jq -r '.[].results.result'",
    ]);
  });

  it("leaves redirections and their targets out of a command's words", () => {
    const [command] = shellCommands(
      [
        "juju run $app/leader get-issued-certificates format=pem --format=json > out.json 2>/dev/null >&2 < in.txt",
      ],
      1,
    );
    assert.deepEqual(command?.words, [
      "juju",
      "run",
      "$app/leader",
      "get-issued-certificates",
      "format=pem",
      "--format=json",
    ]);
  });
});
