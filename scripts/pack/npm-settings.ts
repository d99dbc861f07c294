// The npm settings a registry download needs, read from npm itself so that pacote fetches as
// `npm install` would on this machine: the same registry, cache, proxy and CAs. Only these keys
// are asked for; no credential is read. The mapping follows npm's own flattening of its config
// for pacote (npm's @npmcli/config lib/definitions/definitions.js: cache, cafile, https-proxy,
// noproxy, strict-ssl).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const KEYS = ["registry", "cache", "proxy", "https-proxy", "noproxy", "cafile", "strict-ssl"];

/** What pacote and npm-registry-fetch take of npm's settings. */
export interface NpmFetchSettings {
  readonly registry?: string;
  /** npm's content cache: `<npm cache>/_cacache`. */
  readonly cache?: string;
  readonly proxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
  readonly ca?: string[];
  readonly strictSSL?: boolean;
}

/** `npm config get k1 k2 ...` prints `key=value` lines; npm prints unset values as "null". */
export function parseNpmConfig(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const equals = line.indexOf("=");
    if (equals <= 0) continue;
    const value = line.slice(equals + 1).trim();
    if (value !== "" && value !== "null" && value !== "undefined") {
      values.set(line.slice(0, equals).trim(), value);
    }
  }
  return values;
}

/** The CA certificates in a PEM file, one string each, as npm splits its cafile. */
function certificatesIn(file: string): string[] {
  const end = "-----END CERTIFICATE-----";
  return readFileSync(file, "utf8")
    .replace(/\r\n/g, "\n")
    .split(end)
    .filter((section) => section.trim() !== "")
    .map((section) => section.trimStart() + end);
}

export function settingsFromConfig(config: ReadonlyMap<string, string>): NpmFetchSettings {
  const cache = config.get("cache");
  const cafile = config.get("cafile");
  const strictSsl = config.get("strict-ssl");
  return {
    ...(config.has("registry") ? { registry: config.get("registry") } : {}),
    ...(cache !== undefined ? { cache: join(cache, "_cacache") } : {}),
    ...(config.has("proxy") ? { proxy: config.get("proxy") } : {}),
    ...(config.has("https-proxy") ? { httpsProxy: config.get("https-proxy") } : {}),
    ...(config.has("noproxy") ? { noProxy: config.get("noproxy") } : {}),
    ...(cafile !== undefined ? { ca: certificatesIn(cafile) } : {}),
    ...(strictSsl !== undefined ? { strictSSL: strictSsl !== "false" } : {}),
  };
}

/** This machine's npm settings; pacote's own defaults (the public registry) without npm. */
export async function npmFetchSettings(): Promise<NpmFetchSettings> {
  let stdout: string;
  try {
    ({ stdout } = await run("npm", ["config", "get", ...KEYS], { encoding: "utf8" }));
  } catch {
    return {};
  }
  return settingsFromConfig(parseNpmConfig(stdout));
}
