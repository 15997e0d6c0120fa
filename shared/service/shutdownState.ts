/**
 * Whether this process has begun to shut down (SIGTERM/SIGINT): /readyz then answers
 * 503 so that load balancers and supervisors stop sending work while it drains.
 */
let stopping = false;

export const markShuttingDown = (): void => {
  stopping = true;
};

export const isShuttingDown = (): boolean => stopping;
