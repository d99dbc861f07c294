// Everything provide-certificate can be handed, good and bad, made with openssl once per file.
import {
  makeCa,
  makeCsr,
  makeKey,
  makeSelfSigned,
  signCsr,
  type CaFixture,
} from "../x509/fixtures.ts";

export interface ActionFixtures {
  readonly ca: CaFixture;
  /** Another root, unrelated to `ca`. */
  readonly otherCa: CaFixture;
  /** An intermediate under `ca`, and a root that is no CA (CA:FALSE). */
  readonly intermediate: CaFixture;
  readonly notACa: CaFixture;
  /** A leaf request (ca: false) and a CA request (ca: true). */
  readonly leafCsr: string;
  readonly leafKey: string;
  readonly caCsr: string;
  /** A CSR nobody asks for. */
  readonly strangerCsr: string;
  readonly good: {
    /** For leafCsr, signed by ca. */
    readonly leaf: string;
    /** For leafCsr, signed by the intermediate. */
    readonly leafUnderIntermediate: string;
    /** For caCsr, CA:TRUE, signed by ca. */
    readonly caLeaf: string;
  };
  readonly bad: {
    readonly expired: string;
    readonly notYetValid: string;
    readonly selfSigned: string;
    /** A certificate for strangerCsr: another key than leafCsr's. */
    readonly otherKey: string;
    /** For leafCsr but signed by otherCa. */
    readonly otherIssuer: string;
    /** For leafCsr with CA:TRUE: contradicts a leaf request. */
    readonly caFlagOnLeaf: string;
    /** For caCsr with CA:FALSE: contradicts a CA request. */
    readonly leafForCaRequest: string;
    /** For leafCsr, issued by the CA:FALSE "CA". */
    readonly underNotACa: string;
  };
  /** Private keys in the forms operators paste them. */
  readonly keys: readonly string[];
}

export function buildActionFixtures(): ActionFixtures {
  const ca = makeCa({ commonName: "Robustness Root" });
  const otherCa = makeCa({ commonName: "Unrelated Root" });
  const intermediate = makeCa({ commonName: "Robustness Intermediate", issuer: ca });
  const notACa = makeCa({ commonName: "Not A CA", notACa: true });
  const leaf = makeCsr({ commonName: "leaf.robust.example", sans: ["DNS:leaf.robust.example"] });
  const caRequest = makeCsr({ commonName: "sub-ca.robust.example" });
  const stranger = makeCsr({ commonName: "stranger.robust.example" });
  const day = 86_400_000;
  const rsaKey = makeKey("rsa-2048");
  return {
    ca,
    otherCa,
    intermediate,
    notACa,
    leafCsr: leaf.pem.trim(),
    leafKey: leaf.key,
    caCsr: caRequest.pem.trim(),
    strangerCsr: stranger.pem.trim(),
    good: {
      leaf: signCsr(leaf, ca),
      leafUnderIntermediate: signCsr(leaf, intermediate),
      caLeaf: signCsr(caRequest, ca, { isCa: true }),
    },
    bad: {
      expired: signCsr(leaf, ca, {
        notBefore: new Date(Date.now() - 60 * day),
        notAfter: new Date(Date.now() - day),
      }),
      notYetValid: signCsr(leaf, ca, {
        notBefore: new Date(Date.now() + 10 * day),
        notAfter: new Date(Date.now() + 90 * day),
      }),
      selfSigned: makeSelfSigned({ key: leaf.key, commonName: "leaf.robust.example" }).pem,
      otherKey: signCsr(stranger, ca),
      otherIssuer: signCsr(leaf, otherCa),
      caFlagOnLeaf: signCsr(leaf, ca, { isCa: true }),
      leafForCaRequest: signCsr(caRequest, ca),
      underNotACa: signCsr(leaf, notACa),
    },
    keys: [
      leaf.key,
      rsaKey,
      // The traditional forms, as `openssl genrsa -traditional` and old tools write them.
      rsaKey.replace(/PRIVATE KEY/g, "RSA PRIVATE KEY"),
      leaf.key.replace(/PRIVATE KEY/g, "EC PRIVATE KEY"),
      leaf.key.replace(/PRIVATE KEY/g, "ENCRYPTED PRIVATE KEY"),
    ],
  };
}

export const b64 = (text: string): string => Buffer.from(text).toString("base64");

/** Every 24-character window of a key's base64 body: none may leak anywhere. */
export function secretFragments(keyPem: string): string[] {
  const body = keyPem
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("-----"))
    .join("");
  const fragments: string[] = [];
  for (let at = 0; at + 24 <= body.length; at += 12) fragments.push(body.slice(at, at + 24));
  // The base64 of the whole PEM, as `base64 -w0 key.pem` gives it, in pieces too.
  const wrapped = b64(keyPem);
  for (let at = 0; at + 24 <= wrapped.length; at += 48) fragments.push(wrapped.slice(at, at + 24));
  return fragments;
}
