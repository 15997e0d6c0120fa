# One image for all four Flotilla services; which one runs is the first argument
# (docker run IMAGE scheduler) or FLOTILLA_SERVICE (default api).
#   docker build -t flotilla:local .
#   docker run --rm -e DATABASE_URL=... -e NATS_URL=... -p 127.0.0.1:8080:8080 flotilla:local api
FROM node:20-bookworm-slim

# HAProxy (Debian's 2.6) for load balancing: the scheduler runs it as its child. A static
# busybox: the agent builds awsvpc tasks' pause image from it (docs/fargate.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends haproxy busybox-static \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    HOST=0.0.0.0 \
    FLOTILLA_SERVICE=api

# Dependencies first, so a code change does not reinstall them. tsx (the TypeScript loader the
# services run under) is a runtime dependency, so the dev tools can stay out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY shared ./shared
COPY migrations ./migrations
COPY services ./services

# api 8080 (ECS endpoint and its health checks); health ports of scheduler, autoscaler, agent.
EXPOSE 8080 8081 8082 8083

# The agent needs the Docker socket; docker-compose.yml runs it as root. The rest run as `node`.
USER node

# GET /readyz of whichever service PID 1 is (read from its command line).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "-e", "const cmd = require('fs').readFileSync('/proc/1/cmdline', 'utf8'); const name = (/services\\/(\\w+)\\/main/.exec(cmd) || [])[1] || 'api'; const port = name === 'api' ? process.env.PORT || 8080 : process.env.HEALTH_PORT || { scheduler: 8081, autoscaler: 8082, agent: 8083 }[name]; fetch('http://127.0.0.1:' + port + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]

ENTRYPOINT ["sh", "-c", "service=\"${1:-$FLOTILLA_SERVICE}\"; case \"$service\" in api|scheduler|autoscaler|agent) ;; *) echo \"flotilla: unknown service '$service' (one of: api, scheduler, autoscaler, agent)\" >&2; exit 64 ;; esac; exec node --import tsx \"services/$service/main.ts\"", "flotilla"]
CMD []
