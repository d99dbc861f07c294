// Leadership as Juju hands it out: a lease per application that the unit agents race for.
// Every agent's leadership tracker tries to claim the lease when it starts and whenever it is
// released (internal/worker/leadership/tracker.go), so the first leader is whichever agent asks
// first: here, the first unit of the application to take a turn in a settle step, an order drawn
// from the seed. When the leader's unit goes, the lease is revoked (the uniter facade's EnsureDead,
// apiserver/facades/agent/uniter) or, for a lost agent, expires; the others learn of it only
// through their trackers, so there is no leader for a while: here, until the next settle step.
import { appOf, isLeader } from "./model.ts";
import type { Application, HookContext, State } from "./state.ts";

/** The unit's agent claims its application's lease if nobody holds it and it is claimable. */
export function claimVacantLease(state: State, unit: string): boolean {
  const app = state.applications[appOf(unit)];
  if (!state.units[unit] || !app || app.leader !== null || app.leaseExpiring) return false;
  app.leader = unit;
  return true;
}

/** The lease goes with no holder, and nobody may claim it before the next settle step. */
export function releaseLease(app: Application): void {
  app.leader = null;
  app.leaseExpiring = true;
}

/** A new settle step: the leases released during the last one have expired. */
export function expireReleasedLeases(state: State): void {
  for (const app of Object.values(state.applications)) app.leaseExpiring = false;
}

/**
 * What a hook tool that needs leadership is told (is-leader, leader-set, relation-set --app,
 * status-set and status-get --application): runner/context/leader.go ensureLeader remembers a
 * "no" (isMinion) for the rest of the context, even if the lease comes back meanwhile.
 */
export function contextIsLeader(state: State, ctx: HookContext): boolean {
  if (ctx.notLeader === true) return false;
  if (isLeader(state, ctx.unit)) return true;
  ctx.notLeader = true;
  return false;
}

/**
 * Why the commit of the context's application settings fails: the apiserver writes them with a
 * leadership token (apiserver/facades/agent/uniter/uniter.go updateApplicationSettingsOp) that
 * the transaction checks again (state/leadership.go buildTxnWithLeadership), so a hook that wrote
 * with `relation-set --app` and lost the lease before it ended commits nothing. Null if it can.
 */
export function leadershipLostAtCommit(state: State, ctx: HookContext): string | null {
  const wroteApplicationData = Object.values(ctx.pending).some(
    (pending) => Object.keys(pending.app).length > 0,
  );
  if (!wroteApplicationData || isLeader(state, ctx.unit)) return null;
  const app = appOf(ctx.unit);
  return `checking leadership continuity: "${ctx.unit}" is not leader of "${app}"`;
}

/** Applies the first leadership move a test asked for that this tool call sets off. */
export function moveLeadershipOnCall(
  state: State,
  ctx: HookContext,
  tool: string,
  args: readonly string[],
): void {
  const app = appOf(ctx.unit);
  const joined = args.join(" ");
  const index = state.leadershipMoves.findIndex(
    (move) =>
      move.app === app &&
      move.tool === tool &&
      (move.argsContains === undefined || joined.includes(move.argsContains)),
  );
  if (index < 0) return;
  const [move] = state.leadershipMoves.splice(index, 1);
  const application = state.applications[app];
  if (!application || !move) return;
  if (move.to === null) releaseLease(application);
  else application.leader = move.to;
}
