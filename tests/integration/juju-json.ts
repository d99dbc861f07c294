// What the driver reads from juju's `--format=json` output (Juju 3.6).
//
// `juju status` (cmd/juju/status/formatted.go): two shapes there are easy to miss: an application, unit or status value whose status could
// not be read is replaced whole by {"status-error": "<why>"} (errorStatus, written by each
// type's MarshalJSON when its Err is set), and `current` is `omitempty`, so a status not yet
// set has no `current` at all. Both are read here as "not settled yet", never as a crash.
import { z } from "zod";

const StatusInfo = z
  .object({
    current: z.string().optional(),
    message: z.string().optional(),
    "status-error": z.string().optional(),
  })
  .loose();

const UnitJson = z
  .object({
    "workload-status": StatusInfo.optional(),
    "juju-status": StatusInfo.optional(),
    leader: z.boolean().optional(),
    "status-error": z.string().optional(),
  })
  .loose();
export type UnitJson = z.infer<typeof UnitJson>;

const ApplicationJson = z
  .object({
    units: z.record(z.string(), UnitJson).optional(),
    "status-error": z.string().optional(),
  })
  .loose();

export const StatusJson = z
  .object({ applications: z.record(z.string(), ApplicationJson).optional() })
  .loose();
export type StatusJson = z.infer<typeof StatusJson>;

/** Why a status could not be read, if it could not. */
export function statusError(unit: UnitJson): string | undefined {
  return (
    unit["status-error"] ??
    unit["workload-status"]?.["status-error"] ??
    unit["juju-status"]?.["status-error"]
  );
}

export interface Activity {
  /** Units in error, with Juju's message: waiting will not help. */
  readonly errors: string[];
  /** What is not idle yet, each with the reason when it is not plain activity. */
  readonly busy: string[];
}

/** Which units are in error and what keeps the model from being idle. */
export function activity(status: StatusJson): Activity {
  const errors: string[] = [];
  const busy: string[] = [];
  for (const [app, application] of Object.entries(status.applications ?? {})) {
    if (application["status-error"] !== undefined) {
      busy.push(`${app} (status unavailable: ${application["status-error"]})`);
      continue;
    }
    if (application.units === undefined) busy.push(`${app} (no units yet)`);
    for (const [name, unit] of Object.entries(application.units ?? {})) {
      const workload = unit["workload-status"];
      const agent = unit["juju-status"];
      for (const status of [workload, agent]) {
        if (status?.current === "error")
          errors.push(`${name} is in error: ${status.message ?? ""}`);
      }
      const unreadable = statusError(unit);
      if (unreadable !== undefined) busy.push(`${name} (status unavailable: ${unreadable})`);
      else if (agent?.current === undefined) busy.push(`${name} (no agent status yet)`);
      else if (agent.current !== "idle") busy.push(name);
    }
  }
  return { errors, busy };
}

/**
 * `juju show-model`: core/model ModelType is `model-type` in cmd/juju/common ModelInfo ("iaas"
 * for machines, "caas" for Kubernetes); `type` there is the provider.
 */
export const ShowModelJson = z.record(
  z.string(),
  z.object({ "model-type": z.enum(["iaas", "caas"]) }).loose(),
);
export type ModelType = "iaas" | "caas";

/** `juju show-unit`. */
const RelationInfo = z
  .object({
    endpoint: z.string(),
    "application-data": z.record(z.string(), z.string()).optional(),
    "related-units": z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export const ShowUnitJson = z.record(
  z.string(),
  z.object({ "relation-info": z.array(RelationInfo).optional() }).loose(),
);

/** `juju run`: the outcome of each task by unit (cmd/juju/action/common.go formatActionResult). */
export const ActionJson = z.record(
  z.string(),
  z
    .object({
      status: z.string(),
      message: z.string().optional(),
      results: z.record(z.string(), z.unknown()).optional(),
    })
    .loose(),
);
