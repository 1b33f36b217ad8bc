# Build the casetrail binary, then run it on a slim image as an unprivileged user.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# `casetrail --version` names the commit; .git is not sent to the build, so pass it:
# docker build --build-arg CASETRAIL_COMMIT=$(git rev-parse --short=12 HEAD) .
ARG CASETRAIL_COMMIT=""
RUN cargo build --release -p casetrail-api --bin casetrail

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/casetrail casetrail \
    && mkdir -p /var/lib/casetrail && chown casetrail /var/lib/casetrail
COPY --from=build /src/target/release/casetrail /usr/local/bin/casetrail
USER casetrail
WORKDIR /var/lib/casetrail
ENV CASETRAIL_BIND=0.0.0.0:8080 CASETRAIL_DATA_DIR=/var/lib/casetrail
EXPOSE 8080
# Asks GET /health/ready on CASETRAIL_BIND (an unspecified address on the loopback): exit 0
# when ready, 1 otherwise. The image has no shell tools for it; dash has no /dev/tcp.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s CMD ["casetrail", "health"]
ENTRYPOINT ["casetrail"]
CMD ["serve"]
