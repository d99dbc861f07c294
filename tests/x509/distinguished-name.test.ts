import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DistinguishedNameError,
  readDistinguishedName,
  sameName,
} from "../../src/x509/distinguished-name.ts";

const same = (a: string, b: string): boolean =>
  sameName(readDistinguishedName(a), readDistinguishedName(b));

describe("a distinguished name typed by a person", () => {
  it("is the same name in RFC 4514, OpenSSL's one-line and slash forms, in any order", () => {
    const listed = "CN=Example CA,OU=PKI,O=Example\\, Inc.,C=GB";
    for (const written of [
      "C = GB, O = Example\\, Inc., OU = PKI, CN = Example CA",
      "/C=GB/O=Example, Inc./OU=PKI/CN=Example CA",
      "countryName=GB,organizationName=Example\\, Inc.,organizationalUnitName=PKI,commonName=Example CA",
      "2.5.4.3=Example CA,2.5.4.11=PKI,2.5.4.10=Example\\2C Inc.,2.5.4.6=GB",
    ]) {
      assert.ok(same(listed, written), written);
    }
  });

  it("compares values exactly, and every attribute counts", () => {
    assert.ok(!same("CN=Example CA", "CN=example ca"));
    assert.ok(!same("CN=Example CA", "CN=Example CA,O=Example"));
    assert.ok(!same("CN=Example CA,CN=Other", "CN=Example CA"));
  });

  it("undoes RFC 4514 escapes, hex pairs of UTF-8 included, and keeps an escaped space", () => {
    assert.ok(same("CN=Caf\\C3\\A9", "CN=Café"));
    assert.ok(same("CN=a\\+b", "CN = a\\+b"));
    assert.ok(!same("CN=trailing\\ ", "CN=trailing"));
  });

  it("names the problem with what cannot be a name", () => {
    const problem = (text: string) => {
      try {
        readDistinguishedName(text);
        return "read";
      } catch (error) {
        assert.ok(error instanceof DistinguishedNameError);
        return error.problem;
      }
    };
    assert.equal(problem("  "), "is empty");
    assert.equal(problem("CN=a,b"), '"b" is not attribute=value');
    assert.equal(problem("CN="), '"CN=" has no value');
    assert.equal(problem("C N=x"), '"C N" is not an attribute type such as CN or O');
    assert.equal(problem("CN=x\\"), '"x\\\\" ends with a lone backslash');
    assert.match(problem(`${"x".repeat(200)}=`), /^"x{57}\.\.\." has no value$/);
  });
});
