# Worker image for the Fargate tasks: the esbuild bundles and nothing else (they carry their
# dependencies inside; no node_modules, no sources).
#
#   make build && docker build -t ecommerce-pipeline-worker .
#
# Entry points (the ECS task definitions set the command; see infra/workers.ts):
#   node dist/validate.js     validate a batch (BATCH_ID, BATCH_MANIFEST, EXIT_ZERO_ON_REJECT, ...)
#   node dist/transform.js    KPIs of a validated batch into DynamoDB, archive the inputs
FROM node:22-slim

ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps

WORKDIR /app
# dist/package.json marks the bundles as CommonJS (the repository itself is an ES module package).
COPY --chown=root:root --chmod=0444 dist/package.json ./dist/package.json
COPY --chown=root:root --chmod=0444 dist/validate.js dist/validate.js.map ./dist/
COPY --chown=root:root --chmod=0444 dist/transform.js dist/transform.js.map ./dist/

# The image's own unprivileged user; the bundles are read-only to it.
USER node

CMD ["node", "dist/validate.js", "--help"]
