// Entry point of the requirer test charm: wire the process to the charm, nothing else.

import { generateCsr, generatePrivateKey, publicKeyOf } from "../../../requirers/openssl.ts";
import { handleEvent } from "./charm.ts";
import { charmEnvFrom } from "./context.ts";
import { createHookTools } from "./hook-tools.ts";

try {
  handleEvent({
    juju: createHookTools(),
    env: charmEnvFrom(process.env, process.cwd()),
    keys: { generatePrivateKey, publicKeyOf, generateCsr },
  });
} catch (e) {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  process.exitCode = 1;
}
