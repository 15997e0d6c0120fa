/** The stoppedReason ECS gives a FARGATE_SPOT task it interrupted. */
export const SPOT_INTERRUPTED = "Your Spot Task was interrupted.";

/** The stop code ECS gives it (the task's `stopCode`, and its warning event's). */
export const SPOT_STOP_CODE = "SpotInterruption";
