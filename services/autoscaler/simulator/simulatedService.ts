/**
 * PURE: the simulated ECS service. Its running count follows the desired count:
 * a task added by a scale-out runs `startDelayMs` later, a task removed by a
 * scale-in stops `stopDelayMs` later; a change cancels the opposite changes
 * still pending before it schedules its own (as the scheduler would).
 */
export interface SimulatedService {
  readonly desired: number;
  readonly running: number;
  /** Pending changes of the running count, oldest first. */
  readonly pending: readonly { readonly atMs: number; readonly delta: number }[];
}

export const simulatedService = (desired: number, running = desired): SimulatedService => ({
  desired,
  running,
  pending: running === desired ? [] : [{ atMs: -Infinity, delta: desired - running }],
});

/** The running count once every pending change has happened. */
const eventual = (s: SimulatedService): number =>
  s.pending.reduce((n, p) => n + p.delta, s.running);

export const setDesired = (
  s: SimulatedService,
  desired: number,
  nowMs: number,
  startDelayMs: number,
  stopDelayMs: number,
): SimulatedService => {
  let delta = desired - eventual(s);
  const pending = [...s.pending];
  // Cancel opposite pending changes, newest first.
  for (let i = pending.length - 1; i >= 0 && delta !== 0; i--) {
    const p = pending[i]!;
    if (Math.sign(p.delta) === Math.sign(delta)) continue;
    const cancel = Math.min(Math.abs(p.delta), Math.abs(delta)) * Math.sign(p.delta);
    delta += cancel;
    const left = p.delta - cancel;
    if (left === 0) pending.splice(i, 1);
    else pending[i] = { atMs: p.atMs, delta: left };
  }
  if (delta !== 0) pending.push({ atMs: nowMs + (delta > 0 ? startDelayMs : stopDelayMs), delta });
  return advanceService({ desired, running: s.running, pending }, nowMs);
};

/** Applies the changes due by `nowMs`. */
export const advanceService = (s: SimulatedService, nowMs: number): SimulatedService => {
  let running = s.running;
  const pending = [];
  for (const p of s.pending) {
    if (p.atMs <= nowMs) running += p.delta;
    else pending.push(p);
  }
  return { desired: s.desired, running: Math.max(0, running), pending };
};
