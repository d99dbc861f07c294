// charmcraft.yaml against charmcraft 3's documented schema for a platforms-style charm built
// with craft-parts' npm plugin, and the three metadata files it leaves to metadata.yaml,
// actions.yaml and config.yaml, checked against each other and against the charm's code.
import { createCharm } from "../../src/charm/charm.ts";
import assert from "node:assert/strict";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { z } from "zod";
import { CHARM_DIR } from "../e2e/harness.ts";

const readYaml = (file: string): unknown => parse(readFileSync(join(CHARM_DIR, file), "utf8"));

/** Parses file with schema, failing with zod's account of every problem. */
function load<T>(file: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(readYaml(file));
  if (!result.success) assert.fail(`${file}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

// Valid Debian architectures, which the shorthand `platforms: {<arch>: }` requires as names.
const DEBIAN_ARCHES = ["amd64", "arm64", "armhf", "ppc64el", "riscv64", "s390x"] as const;

const Platform = z.union([
  z.null(),
  z
    .object({
      "build-on": z.array(z.string()).nonempty(),
      "build-for": z.array(z.string()).length(1),
    })
    .strict(),
]);

const Part = z
  .object({
    plugin: z.string(),
    source: z.string().optional(),
    "override-build": z.string().optional(),
    "override-stage": z.string().optional(),
    "override-prime": z.string().optional(),
    "build-packages": z.array(z.string()).optional(),
    "build-snaps": z.array(z.string()).optional(),
    "build-environment": z.array(z.record(z.string(), z.string())).optional(),
    after: z.array(z.string()).optional(),
    organize: z.record(z.string(), z.string()).optional(),
    stage: z.array(z.string()).optional(),
    prime: z.array(z.string()).optional(),
    "npm-include-node": z.boolean().optional(),
    "npm-node-version": z.string().optional(),
  })
  .strict()
  .refine((p) => p["npm-include-node"] !== true || p["npm-node-version"] !== undefined, {
    message: "npm-include-node: true requires npm-node-version",
  })
  .refine((p) => p["npm-node-version"] === undefined || p["npm-include-node"] === true, {
    message: "npm-node-version without npm-include-node: true is an error",
  });

/**
 * The names charmcraft checks analysis.ignore against (charmcraft/models/basic.py
 * _validate_linter_name and _validate_attribute_name): the `name` of each checker in
 * charmcraft/linters.py CHECKERS, split by check type. Same lists in charmcraft 3.5 and 4.4.
 */
const Linter = z.enum([
  "juju-actions",
  "juju-config",
  "metadata",
  "naming-conventions",
  "entrypoint",
  "ops-main-call",
  "additional-files",
  "pip-check",
  "pydeps",
]);
const Attribute = z.enum(["language", "framework"]);

/**
 * The keys charmcraft 3 accepts at the top of a platforms-style charm's charmcraft.yaml. Strict,
 * so a misspelt key fails here rather than in a charmcraft run on somebody else's machine.
 * name, summary, description, config and actions are deliberately absent: metadata.yaml,
 * config.yaml and actions.yaml exist, and charmcraft refuses a section defined in both places.
 */
const CharmcraftYaml = z
  .object({
    type: z.literal("charm"),
    title: z.string().optional(),
    base: z.literal("ubuntu@24.04"),
    "build-base": z.string().optional(),
    platforms: z.partialRecord(z.enum(DEBIAN_ARCHES), Platform),
    parts: z.record(z.string(), Part).refine((p) => Object.keys(p).length > 0, "parts is empty"),
    analysis: z
      .object({
        ignore: z
          .object({
            linters: z.array(Linter).optional(),
            attributes: z.array(Attribute).optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    "charm-libs": z.array(z.unknown()).optional(),
    links: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const Endpoint = z
  .object({
    interface: z.string(),
    description: z.string().optional(),
    limit: z.number().int().positive().optional(),
    optional: z.boolean().optional(),
    scope: z.enum(["global", "container"]).optional(),
  })
  .strict();

const MetadataYaml = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    "display-name": z.string().optional(),
    summary: z.string().min(1),
    description: z.string().min(1),
    provides: z.record(z.string(), Endpoint).optional(),
    requires: z.record(z.string(), Endpoint).optional(),
    peers: z.record(z.string(), Endpoint).optional(),
  })
  .strict();

const Param = z
  .object({
    type: z.enum(["string", "integer", "number", "boolean", "array", "object"]),
    description: z.string().min(1),
  })
  .loose();

const Action = z
  .object({
    description: z.string().min(1),
    params: z.record(z.string(), Param).optional(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.boolean().optional(),
  })
  .strict();

const ActionsYaml = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), Action);

const ConfigYaml = z
  .object({
    options: z.record(
      z.string(),
      z
        .object({
          type: z.enum(["string", "int", "float", "boolean", "secret"]),
          description: z.string().optional(),
          default: z.unknown().optional(),
        })
        .strict(),
    ),
  })
  .strict();

describe("charmcraft.yaml", () => {
  const project = (): z.infer<typeof CharmcraftYaml> => load("charmcraft.yaml", CharmcraftYaml);

  it("follows charmcraft 3's schema for a platforms-style charm", () => {
    project();
  });

  it("ignores only linters and attributes charmcraft has, each in its own list", () => {
    const withIgnore = (ignore: Record<string, string[]>): boolean =>
      CharmcraftYaml.safeParse({ ...project(), analysis: { ignore } }).success;
    for (const name of ["naming", "juju_actions", "juju_config", "language", "framework"]) {
      assert.equal(withIgnore({ linters: [name] }), false, `linter ${name} accepted`);
    }
    for (const name of ["naming-conventions", "juju-actions", "juju-config", "entrypoint"]) {
      assert.equal(withIgnore({ linters: [name] }), true, `linter ${name} refused`);
      assert.equal(withIgnore({ attributes: [name] }), false, `attribute ${name} accepted`);
    }
    assert.equal(withIgnore({ attributes: ["language", "framework"] }), true);
  });

  it("is a platforms-style charm on ubuntu@24.04 for amd64 and arm64", () => {
    assert.deepEqual(Object.keys(project().platforms).sort(), ["amd64", "arm64"]);
  });

  it("builds with the npm plugin and ships a pinned Node runtime", () => {
    const npm = Object.values(project().parts).filter((p) => p.plugin === "npm");
    assert.equal(npm.length, 1, "exactly one part uses the npm plugin");
    const [part] = npm;
    assert.equal(part?.["npm-include-node"], true);
    assert.match(part?.["npm-node-version"] ?? "", /^\d+\.\d+\.\d+$/, "pin an exact version");
    // With override-build, the plugin's own steps (the Node download among them) run only
    // through `craftctl default`.
    if (part?.["override-build"] !== undefined) {
      assert.match(part["override-build"], /^\s*craftctl default\s*$/m);
    }
  });

  it("keeps our own dispatch and primes what it runs", () => {
    const [part] = Object.values(project().parts).filter((p) => p.plugin === "npm");
    const build = part?.["override-build"] ?? "";
    assert.match(build, /install\b.*-m 0755 dispatch "\$CRAFT_PART_INSTALL\/dispatch"/);
    assert.match(
      build,
      /install\b.*-m 0755 dist\/charm\.mjs "\$CRAFT_PART_INSTALL\/dist\/charm\.mjs"/,
    );
    assert.match(
      build,
      /install\b.*-m 0644 -t "\$CRAFT_PART_INSTALL\/dist\/chunks" dist\/chunks\/\*\.mjs/,
    );
    for (const path of ["dispatch", "dist/charm.mjs", "dist/chunks", "bin/node"]) {
      assert.ok(part?.prime?.includes(path), `${path} is not primed`);
    }
    const dispatch = readFileSync(join(CHARM_DIR, "dispatch"), "utf8");
    assert.match(dispatch, /^#!\/bin\/sh\n/);
    assert.match(dispatch, /\$charm_dir\/bin\/node/);
    assert.match(dispatch, /exec "\$node" "\$charm_dir\/dist\/charm\.mjs"\s*$/);
    accessSync(join(CHARM_DIR, "dispatch"), constants.X_OK);
  });

  it("repeats nothing that metadata.yaml, actions.yaml or config.yaml define", () => {
    const raw = readYaml("charmcraft.yaml") as Record<string, unknown>;
    for (const key of ["name", "summary", "description", "config", "actions", "bases"]) {
      assert.ok(!(key in raw), `charmcraft.yaml defines ${key}`);
    }
  });
});

describe("metadata.yaml, actions.yaml and config.yaml", () => {
  const metadata = load("metadata.yaml", MetadataYaml);
  const actions = load("actions.yaml", ActionsYaml);
  const config = load("config.yaml", ConfigYaml);

  it("name the charm and the endpoints requirers integrate with", () => {
    assert.equal(metadata.name, "tls-certificates-operator");
    assert.deepEqual(metadata.provides, {
      certificates: {
        interface: "tls-certificates",
        description: metadata.provides?.["certificates"]?.description,
      },
      trust_certificate: {
        interface: "certificate_transfer",
        description: metadata.provides?.["trust_certificate"]?.description,
      },
    });
  });

  it("use no name Juju reserves", () => {
    const endpoints = [metadata.provides, metadata.requires, metadata.peers].flatMap((e) =>
      Object.keys(e ?? {}),
    );
    for (const name of [...endpoints, ...Object.keys(actions)]) {
      assert.ok(name !== "juju" && !name.startsWith("juju-"), `${name} is reserved by Juju`);
    }
  });

  it("declare exactly the actions the charm observes", () => {
    assert.deepEqual(Object.keys(actions).sort(), createCharm().actionNames.sort());
  });

  it("declare every required action parameter, and refuse unknown ones", () => {
    for (const [name, action] of Object.entries(actions)) {
      for (const required of action.required ?? []) {
        assert.ok(required in (action.params ?? {}), `${name}: required ${required} is no param`);
      }
      assert.equal(action.additionalProperties, false, `${name} accepts unknown params`);
    }
    assert.deepEqual(actions["provide-certificate"]?.required?.slice().sort(), [
      "ca-certificate",
      "certificate",
      "certificate-signing-request",
    ]);
    // Without relation-id, get-certificate-request lists every relation (state=rejected: every
    // refused request of the model).
    assert.equal(actions["get-certificate-request"]?.required, undefined);
    assert.equal(actions["get-outstanding-certificate-requests"]?.required, undefined);
    assert.deepEqual(actions["revoke-certificate"]?.required, ["certificate-signing-request"]);
  });

  it("type relation-id as an integer wherever it appears", () => {
    for (const [name, action] of Object.entries(actions)) {
      const param = action.params?.["relation-id"];
      if (param) assert.equal(param.type, "integer", name);
    }
  });

  it("give every config option a description and a default of its type", () => {
    const types: Record<string, (v: unknown) => boolean> = {
      string: (v) => typeof v === "string",
      int: (v) => Number.isInteger(v),
      float: (v) => typeof v === "number",
      boolean: (v) => typeof v === "boolean",
      secret: (v) => typeof v === "string",
    };
    for (const [name, option] of Object.entries(config.options)) {
      assert.ok(option.description, `${name} has no description`);
      if (option.default !== undefined && option.default !== null) {
        assert.ok(types[option.type]?.(option.default), `${name}: default is not a ${option.type}`);
      }
    }
  });
});
