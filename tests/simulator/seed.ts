// Where Juju's order is not defined the simulator draws one: the unit agent walks its relations
// in Go map order (internal/worker/uniter/relation/resolver.go ranges over a map), which Go
// randomises, so no charm may rely on one. The draw comes from a seed: $SIM_SEED when set, else a
// fresh one per test process, printed when the process exits with a failure so that the same
// order can be replayed with SIM_SEED=<seed>.
import { randomInt } from "node:crypto";

export const SEED_ENV = "SIM_SEED";

let processSeed: number | undefined;

/** The seed of this process's simulators. */
export function defaultSeed(): number {
  if (processSeed !== undefined) return processSeed;
  const fromEnv = process.env[SEED_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    const parsed = Number(fromEnv);
    if (!Number.isSafeInteger(parsed) || parsed < 0) {
      throw new Error(`${SEED_ENV} must be a non-negative integer, got ${JSON.stringify(fromEnv)}`);
    }
    processSeed = parsed;
  } else {
    processSeed = randomInt(2 ** 31);
  }
  const seed = processSeed;
  process.once("exit", (code) => {
    if (code !== 0) {
      process.stderr.write(
        `simulator: relation hooks were ordered with ${SEED_ENV}=${seed}; ` +
          `run again with ${SEED_ENV}=${seed} to replay that order\n`,
      );
    }
  });
  return seed;
}

/** A small seeded generator (mulberry32): uniform in [0, 1), the same sequence for one seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of items in an order drawn from random (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
