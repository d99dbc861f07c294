// Reads what Juju reads from a charm directory: metadata.yaml, actions.yaml, config.yaml.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { encodeDefault } from "./config-values.ts";
import type { ConfigOption, Endpoint } from "./state.ts";

const EndpointsYaml = z
  .record(z.string(), z.object({ interface: z.string() }).loose())
  .nullish()
  .transform((v) => v ?? {});

const MetadataYaml = z
  .object({
    name: z.string(),
    provides: EndpointsYaml,
    requires: EndpointsYaml,
    peers: EndpointsYaml,
  })
  .loose();

const ConfigYaml = z
  .object({
    options: z
      .record(
        z.string(),
        z
          .object({
            type: z.string(),
            default: z.unknown().optional(),
            description: z.string().optional(),
          })
          .loose(),
      )
      .nullish(),
  })
  .nullish();

const ActionsYaml = z.record(z.string(), z.record(z.string(), z.unknown()).nullish()).nullish();

export interface CharmInfo {
  name: string;
  endpoints: Record<string, Endpoint>;
  actions: Record<string, Record<string, unknown>>;
  options: Record<string, ConfigOption>;
}

function readYaml(path: string, options: { intAsBigInt?: boolean } = {}): unknown {
  return existsSync(path) ? parse(readFileSync(path, "utf8"), options) : null;
}

export function readCharm(charmDir: string): CharmInfo {
  const metadataPath = join(charmDir, "metadata.yaml");
  if (!existsSync(metadataPath)) throw new Error(`charm missing from disk: no ${metadataPath}`);
  const metadata = MetadataYaml.parse(readYaml(metadataPath));
  const endpoints: Record<string, Endpoint> = {};
  for (const role of ["provides", "requires", "peers"] as const) {
    for (const [name, spec] of Object.entries(metadata[role])) {
      endpoints[name] = { role, interface: spec.interface };
    }
  }
  const actions: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(
    ActionsYaml.parse(readYaml(join(charmDir, "actions.yaml"))) ?? {},
  )) {
    actions[name] = spec ?? {};
  }
  const options: Record<string, ConfigOption> = {};
  // Integers as bigint, so that a default beyond 2^53 keeps its value (config-values.ts).
  const config = ConfigYaml.parse(readYaml(join(charmDir, "config.yaml"), { intAsBigInt: true }));
  for (const [name, option] of Object.entries(config?.options ?? {})) {
    options[name] = {
      type: option.type,
      default: encodeDefault(option.default),
      description: option.description,
    };
  }
  return { name: metadata.name, endpoints, actions, options };
}
