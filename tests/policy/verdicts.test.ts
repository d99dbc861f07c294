import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openVerdicts } from "../../src/charm/policy/verdicts.ts";
import type { LocatedRequest } from "../../src/charm/requests.ts";
import type { Violation } from "../../src/policy/policy.ts";

const request = (unit: string, identity: string): LocatedRequest => ({
  csr: `-----BEGIN CERTIFICATE REQUEST-----\n${identity}\n-----END CERTIFICATE REQUEST-----`,
  isCa: false,
  relationId: 1,
  applicationName: unit.split("/")[0]!,
  unitName: unit,
  identity,
});
const EVIL: Violation[] = [{ category: "dns", message: "DNS:evil.example is not allowed" }];

/** A judge that counts its calls. */
function counting(answer: (r: LocatedRequest) => readonly Violation[]) {
  const judged: string[] = [];
  return {
    judged,
    judge: (r: LocatedRequest) => {
      judged.push(r.identity);
      return answer(r);
    },
  };
}

describe("verdicts kept across hooks", () => {
  const a = request("web/0", "AAAA");
  const b = request("web/1", "BBBB");
  const answer = (r: LocatedRequest) => (r === b || r.identity === "BBBB" ? EVIL : []);

  it("a later hook under the same policy judges nothing again and writes nothing", () => {
    const files = { dir: mkdtempSync(join(tmpdir(), "verdicts-")), fresh: false };
    const first = counting(answer);
    const one = openVerdicts(files, "policy-1");
    assert.deepEqual(one.judge(a, first.judge), []);
    assert.deepEqual(one.judge(b, first.judge), EVIL);
    one.save();
    assert.deepEqual(first.judged, ["AAAA", "BBBB"]);
    // A mark the charm never writes: still there means the file was not written again.
    const path = join(files.dir, ".signing-policy-verdicts.json");
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), mark: 1 }));

    const second = counting(answer);
    const two = openVerdicts(files, "policy-1");
    assert.deepEqual(two.judge(a, second.judge), []);
    assert.deepEqual(two.judge(b, second.judge), EVIL);
    two.save();
    assert.deepEqual(second.judged, []);
    assert.equal(JSON.parse(readFileSync(path, "utf8")).mark, 1);
  });

  it("another policy, another requester, upgrade-charm or a tampered entry: judged again", () => {
    const files = { dir: mkdtempSync(join(tmpdir(), "verdicts-")), fresh: false };
    const first = openVerdicts(files, "policy-1");
    first.judge(a, counting(answer).judge);
    first.save();
    const other = counting(answer);
    openVerdicts(files, "policy-2").judge(a, other.judge);
    openVerdicts(files, "policy-1").judge(request("web/7", "AAAA"), other.judge);
    openVerdicts({ ...files, fresh: true }, "policy-1").judge(a, other.judge);
    assert.deepEqual(other.judged, ["AAAA", "AAAA", "AAAA"]);

    const path = join(files.dir, ".signing-policy-verdicts.json");
    const stored = JSON.parse(readFileSync(path, "utf8"));
    for (const key of Object.keys(stored.verdicts)) stored.verdicts[key] = "allowed";
    writeFileSync(path, JSON.stringify(stored));
    const again = counting(answer);
    assert.deepEqual(openVerdicts(files, "policy-1").judge(a, again.judge), []);
    assert.deepEqual(again.judged, ["AAAA"]);
  });

  it("a requirer that changes is_ca for the same CSR is judged again", () => {
    const files = { dir: mkdtempSync(join(tmpdir(), "verdicts-")), fresh: false };
    const caIsEvil = (r: LocatedRequest) => (r.isCa ? EVIL : []);
    const first = openVerdicts(files, "p");
    assert.deepEqual(first.judge({ ...a, isCa: true }, caIsEvil), EVIL);
    first.save();
    const second = counting(caIsEvil);
    assert.deepEqual(openVerdicts(files, "p").judge({ ...a, isCa: false }, second.judge), []);
    assert.deepEqual(second.judged, ["AAAA"]);
  });

  it("keeps only the requests of the last hook", () => {
    const files = { dir: mkdtempSync(join(tmpdir(), "verdicts-")), fresh: false };
    const first = openVerdicts(files, "p");
    first.judge(a, answer);
    first.judge(b, answer);
    first.save();
    const second = openVerdicts(files, "p");
    second.judge(b, answer);
    second.save();
    const stored = JSON.parse(
      readFileSync(join(files.dir, ".signing-policy-verdicts.json"), "utf8"),
    );
    assert.equal(Object.keys(stored.verdicts).length, 1);
  });

  it("a charm directory that cannot be written only means judging again", () => {
    const verdicts = openVerdicts({ dir: "/nonexistent/charm", fresh: false }, "p");
    assert.deepEqual(verdicts.judge(b, answer), EVIL);
    assert.doesNotThrow(() => verdicts.save());
  });
});
