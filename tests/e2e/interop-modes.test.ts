import { describeInterop } from "./interop.ts";

// v4 and charmlibs in unit and app mode, several units, and a request for a CA certificate.
describeInterop("v4 and charmlibs requirers in unit and app mode accept what we publish", [
  { name: "lib-v4", config: { library: "v4", "key-type": "rsa" }, caKey: "rsa-3072" },
  {
    name: "lib-v4-app",
    config: { library: "v4", mode: "app", "key-type": "ec" },
    caKey: "ec-p256",
  },
  {
    name: "charmlibs",
    config: { library: "charmlibs", "key-type": "ed25519" },
    caKey: "rsa-2048",
    units: 2,
  },
  { name: "charmlibs-app", config: { library: "charmlibs", mode: "app" }, caKey: "ec-p384" },
  {
    name: "charmlibs-ca",
    config: { library: "charmlibs", "is-ca": true, "key-type": "ec" },
    caKey: "ec-p256",
    isCa: true,
  },
]);
