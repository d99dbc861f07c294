import { describeInterop } from "./interop.ts";

// Unit-mode requirers of every library generation, each with another key type on both sides.
describeInterop("requirers of library v1 to v4 accept what we publish", [
  { name: "lib-v1", config: { library: "v1", "key-type": "rsa" }, caKey: "rsa-2048" },
  {
    name: "lib-v2-old",
    config: { library: "v2", libpatch: 18, "key-type": "ec" },
    caKey: "rsa-4096",
  },
  { name: "lib-v2", config: { library: "v2", "key-type": "ed25519" }, caKey: "ec-p256" },
  { name: "lib-v3", config: { library: "v3", "key-type": "rsa" }, caKey: "ec-p384" },
  {
    name: "lib-v4-old",
    config: { library: "v4", libpatch: 24, "key-type": "ec" },
    caKey: "ed25519",
  },
]);
