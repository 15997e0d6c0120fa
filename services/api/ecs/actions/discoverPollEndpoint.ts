import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { type ActionContext, defineAction } from "../../protocol/action.js";

/**
 * The URL the request reached (from its Host header). It is not part of
 * ActionContext yet: the server is to add `endpoint`; until then this reads it
 * if present and refuses otherwise.
 */
const endpointOf = (ctx: ActionContext): string | undefined => {
  const endpoint = (ctx as ActionContext & { readonly endpoint?: unknown }).endpoint;
  return typeof endpoint === "string" && endpoint !== "" ? endpoint : undefined;
};

/** An external agent asks where to poll: this same API, for all three endpoints. */
export const discoverPollEndpoint = defineAction({
  name: "DiscoverPollEndpoint",
  input: z.object({
    containerInstance: z.string().optional(),
    cluster: z.string().optional(),
  }),
  handle(_input, ctx) {
    const endpoint = endpointOf(ctx);
    return endpoint === undefined
      ? Promise.reject(new EcsError("ServerException", "The API does not know its own endpoint."))
      : Promise.resolve({
          endpoint,
          telemetryEndpoint: endpoint,
          serviceConnectEndpoint: endpoint,
        });
  },
});
