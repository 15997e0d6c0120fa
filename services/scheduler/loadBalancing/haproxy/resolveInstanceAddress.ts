/**
 * Where HAProxy reaches a container instance. `container_instances` has no
 * address column yet, and every agent of a Flotilla install runs on the
 * HAProxy's host today, so the default answers 127.0.0.1. Swap it (an option
 * of the controller) once agents report their address.
 */
export type ResolveInstanceAddress = (instanceId: string) => string;

export const localhostAddress: ResolveInstanceAddress = () => "127.0.0.1";
