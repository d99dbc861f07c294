// What Juju tells the process through its environment (juju-runtime spec §1.2).

import { z } from "zod";

export type CharmEvent = { kind: "hook"; name: string } | { kind: "action"; name: string };

export interface CharmEnv {
  unitName: string;
  appName: string;
  unitNumber: number;
  modelName: string;
  /** Keys the state dir: the simulator runs every model's units from the same charm dir. */
  modelUuid: string;
  charmDir: string;
  event: CharmEvent;
}

const Env = z.object({
  JUJU_UNIT_NAME: z.string().regex(/^[a-z][a-z0-9-]*\/\d+$/, "expected <app>/<number>"),
  JUJU_MODEL_NAME: z.string().min(1),
  JUJU_MODEL_UUID: z.string().optional(),
  JUJU_DISPATCH_PATH: z
    .string()
    .regex(/^(hooks|actions)\/[^/]+$/, "expected hooks/<name> or actions/<name>"),
  JUJU_CHARM_DIR: z.string().optional(),
});

export function eventOf(dispatchPath: string): CharmEvent {
  const [dir, name = ""] = dispatchPath.split("/");
  return dir === "actions" ? { kind: "action", name } : { kind: "hook", name };
}

export function charmEnvFrom(env: NodeJS.ProcessEnv, cwd: string): CharmEnv {
  const parsed = Env.parse(env);
  const [appName = "", unitNumber = ""] = parsed.JUJU_UNIT_NAME.split("/");
  return {
    unitName: parsed.JUJU_UNIT_NAME,
    appName,
    unitNumber: Number(unitNumber),
    modelName: parsed.JUJU_MODEL_NAME,
    modelUuid: parsed.JUJU_MODEL_UUID || parsed.JUJU_MODEL_NAME,
    charmDir: parsed.JUJU_CHARM_DIR || cwd,
    event: eventOf(parsed.JUJU_DISPATCH_PATH),
  };
}
