# OpsTrails server image: docker build -t opstrails . && docker run -p 8080:8080 -v opstrails:/data opstrails
# The build and start steps are scripts/docker-build-steps.sh, which CI runs outside Docker too.

FROM node:22-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/docker-build-steps.sh deps \
 && scripts/docker-build-steps.sh build \
 && scripts/docker-build-steps.sh install /opt/opstrails

FROM node:22-bookworm-slim
RUN groupadd --system opstrails \
 && useradd --system --gid opstrails --home-dir /data --no-create-home opstrails \
 && mkdir /data && chown opstrails:opstrails /data
COPY --from=build /opt/opstrails /opt/opstrails
COPY --from=build /src/scripts/docker-build-steps.sh /opt/opstrails/docker-build-steps.sh
ENV OPSTRAILS_HOST=0.0.0.0 \
    OPSTRAILS_PORT=8080 \
    OPSTRAILS_DATA_DIR=/data \
    NODE_ENV=production
VOLUME /data
EXPOSE 8080
USER opstrails
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["/opt/opstrails/bin/opstrails"]
CMD ["serve"]
