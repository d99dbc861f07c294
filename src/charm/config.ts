import * as z from "zod/mini";
import { ConfigError, type Model } from "../juju/index.ts";

export interface CharmConfig {
  readonly expiryWarningDays: number;
}

const schema = z.object({
  "expiry-warning-days": z._default(z.int().check(z.minimum(0), z.maximum(3650)), 30),
});

export type ConfigReading = { ok: true; config: CharmConfig } | { ok: false; problem: string };

/** Bad config is the operator's to fix: it becomes a blocked status, never a failed hook. */
export function readConfig(model: Model): ConfigReading {
  try {
    const raw = model.config(schema);
    return { ok: true, config: { expiryWarningDays: raw["expiry-warning-days"] } };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problem: error.message };
    throw error;
  }
}

const policySchema = z.object({ "signing-policy": z.optional(z.string()) });

export type PolicyText =
  | { readonly ok: true; readonly text: string | undefined }
  | { readonly ok: false; readonly problem: string };

/**
 * The `signing-policy` option's text, undefined when unset or blank (no policy). Read apart
 * from the other options, so that a bad value elsewhere does not hide whether a policy is set.
 */
export function signingPolicyText(model: Model): PolicyText {
  try {
    const text = model.config(policySchema)["signing-policy"];
    return { ok: true, text: text === undefined || text.trim() === "" ? undefined : text };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problem: error.message };
    throw error;
  }
}
