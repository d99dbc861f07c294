import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Violation } from "../../policy/policy.ts";
import type { LocatedRequest } from "../requests.ts";
import type { CharmFiles } from "./signing-policy.ts";

// Under `enforcement: reject` every hook judges every open request, thousands of them; a
// request's verdict can change only with the policy or the request. So the hooks keep the
// verdicts of one policy in the charm directory (which only the agent writes), keyed by the
// requester and a digest of the CSR, and judge again only what they have not judged under it.
// These verdicts only decide which refusals the hooks publish: the provide actions judge every
// certificate afresh.

const FILE = ".signing-policy-verdicts.json";

type Stored = readonly (readonly [Violation["category"], string])[];

export interface Verdicts {
  /** The request's violations under this policy, judged now or by an earlier hook. */
  judge(
    request: LocatedRequest,
    judgeNow: (request: LocatedRequest) => readonly Violation[],
  ): readonly Violation[];
  /** Keeps the verdicts of this dispatch's requests, when they differ from what was read. */
  save(): void;
}

/** Everything a request's verdict depends on besides the policy: who asks, is_ca and the CSR. */
const keyOf = (request: LocatedRequest): string =>
  `${request.applicationName}\n${request.unitName ?? ""}\n${request.isCa ? "ca" : "leaf"}\n` +
  createHash("sha256").update(request.identity).digest("base64");

function read(path: string, policy: string): Map<string, Stored> {
  try {
    const stored = JSON.parse(readFileSync(path, "utf8")) as {
      policy?: unknown;
      verdicts?: unknown;
    };
    if (
      stored.policy !== policy ||
      typeof stored.verdicts !== "object" ||
      stored.verdicts === null
    ) {
      return new Map();
    }
    return new Map(Object.entries(stored.verdicts as Record<string, Stored>));
  } catch {
    return new Map();
  }
}

const isStored = (value: unknown): value is Stored =>
  Array.isArray(value) &&
  value.every(
    (entry) =>
      Array.isArray(entry) &&
      entry.length === 2 &&
      ["dns", "ip", "wildcard", "other"].includes(entry[0]) &&
      typeof entry[1] === "string",
  );

/**
 * The verdicts kept for the policy with this digest. With `prune`, a hook that looked at every
 * relation keeps only the verdicts it used; a hook of one relation keeps the others' too.
 */
export function openVerdicts(files: CharmFiles, policy: string, prune = true): Verdicts {
  const path = join(files.dir, FILE);
  // Read when first needed: a hook that reads no relation judges nothing.
  let earlier: Map<string, Stored> | undefined;
  const earlierVerdicts = (): Map<string, Stored> =>
    (earlier ??= files.fresh ? new Map<string, Stored>() : read(path, policy));
  const used = new Map<string, Stored>();
  let judgedNow = false;
  return {
    judge(request, judgeNow) {
      const key = keyOf(request);
      const kept = earlierVerdicts().get(key);
      if (kept !== undefined && isStored(kept)) {
        used.set(key, kept);
        return kept.map(([category, message]) => ({ category, message }));
      }
      const violations = judgeNow(request);
      used.set(
        key,
        violations.map((v) => [v.category, v.message] as const),
      );
      judgedNow = true;
      return violations;
    },
    save() {
      if (!judgedNow && (!prune || used.size === earlierVerdicts().size)) return;
      const kept = prune ? used : new Map([...earlierVerdicts(), ...used]);
      try {
        const text = JSON.stringify({ policy, verdicts: Object.fromEntries(kept) });
        writeFileSync(`${path}.new`, text, { mode: 0o600 });
        renameSync(`${path}.new`, path);
      } catch {
        // A read-only charm directory: the next hook judges again.
      }
    },
  };
}
