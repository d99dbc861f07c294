// The npm settings the Node download goes through: what `npm config get` prints, taken as npm
// itself hands it to pacote.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseNpmConfig, settingsFromConfig } from "../../scripts/pack/npm-settings.ts";

const CERT_A = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
const CERT_B = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----";

describe("npm settings for the Node download", () => {
  it("maps npm's registry, cache, proxies, cafile and strict-ssl as npm flattens them", () => {
    const dir = mkdtempSync(join(tmpdir(), "npm-settings-"));
    try {
      const cafile = join(dir, "ca.pem");
      writeFileSync(cafile, `${CERT_A}\r\n${CERT_B}\n`);
      const config = parseNpmConfig(
        [
          "registry=https://registry.example/",
          "cache=/home/me/.npm",
          "proxy=http://proxy:3128",
          "https-proxy=http://proxy:3129",
          "noproxy=localhost,.internal",
          `cafile=${cafile}`,
          "strict-ssl=false",
          "",
        ].join("\n"),
      );
      assert.deepEqual(settingsFromConfig(config), {
        registry: "https://registry.example/",
        cache: "/home/me/.npm/_cacache",
        proxy: "http://proxy:3128",
        httpsProxy: "http://proxy:3129",
        noProxy: "localhost,.internal",
        ca: [CERT_A, CERT_B],
        strictSSL: false,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves out what npm prints as null or empty, so pacote's defaults apply", () => {
    const config = parseNpmConfig(
      "registry=https://registry.npmjs.org/\ncache=/root/.npm\nproxy=null\nhttps-proxy=null\nnoproxy=\ncafile=null\nstrict-ssl=true\n",
    );
    assert.deepEqual(settingsFromConfig(config), {
      registry: "https://registry.npmjs.org/",
      cache: "/root/.npm/_cacache",
      strictSSL: true,
    });
  });
});
