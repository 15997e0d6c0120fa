/** The load balancer aggregate (with its listeners) and its deciders (ELBv2's shape). */
export {
  loadBalancerAggregate,
  type ListenerState,
  type LoadBalancerState,
} from "./loadBalancerState.js";
export { decideCreateLoadBalancer, loadBalancerDnsName } from "./createLoadBalancer.js";
export { decideDeleteLoadBalancer } from "./deleteLoadBalancer.js";
export {
  decideCreateListener,
  decideDeleteListener,
  listenerOnPort,
  type CreateListenerCommand,
} from "./listeners.js";
