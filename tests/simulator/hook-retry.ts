// When a failed hook is retried by itself. The uniter (internal/worker/uniter/uniter.go) drives a
// utils.BackoffTimer (github.com/juju/utils timer.go) with the strategy the RetryStrategy facade
// hands out (apiserver/facades/agent/retrystrategy/retrystrategy.go): Min 5 s, Max 5 min,
// Factor 2, Jitter true, and ShouldRetry from the model's automatically-retry-hooks (default true,
// environs/config/config.go). The resolver (internal/worker/uniter/resolver.go nextOpHookError)
// starts the timer when it first sees the hook error; each retry that fails starts it again
// with the grown duration; `juju resolve` and a success reset it to Min.
import type { HookRetry } from "./state.ts";

export const MIN_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 5 * 60_000;
const FACTOR = 2;
const JITTER = 0.03;

/** BackoffTimer.increaseDuration: times Factor, plus or minus up to 3 %, capped at Max. */
export function grow(durationMs: number, random: () => number = Math.random): number {
  const next = durationMs * FACTOR;
  return Math.min(MAX_RETRY_MS, Math.round(next + next * (random() * 2 - 1) * JITTER));
}

/** The timer started at `now` with the duration it holds; Start() then grows that duration. */
export function startRetry(now: number, durationMs = MIN_RETRY_MS): HookRetry {
  return { at: now + durationMs, nextDelayMs: grow(durationMs) };
}
