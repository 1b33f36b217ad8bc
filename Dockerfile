# The casetrail binary, built with its dependencies in a layer of their own, stripped, and run
# on a slim image as a numeric non-root user that writes only to its data directory.
#
#   docker build --build-arg CASETRAIL_COMMIT=$(git rev-parse --short=12 HEAD) -t casetrail .
#
# Production settings (a KEK file, a token key, issuer and audience) come from outside the
# image: see docker-compose.yml and docs/deployment.md. `serve --dev` is for trying it out.

ARG RUST_IMAGE=rust:1.95-bookworm

# The workspace reduced to what resolving and compiling the dependencies reads: manifests, the
# lock file and a stand-in for each target (deploy/docker/skeleton.sh). This stage runs again on
# any change to the sources, but its output changes only with a manifest or a target, and the
# dependency layer below is cached by that output's content.
#
# Why a skeleton script rather than cargo-chef: it is one short script run here and checked by
# .ci/deploy-check (cargo reads the skeleton and must find the same targets as in the real
# workspace), with no extra tool compiled into the build. Listing stub files by hand in this
# file was the other choice, and it goes stale silently when a bench or a test is added.
FROM ${RUST_IMAGE} AS skeleton
WORKDIR /src
COPY . .
RUN bash deploy/docker/skeleton.sh /src /skeleton

FROM ${RUST_IMAGE} AS build
WORKDIR /src
# Stripped at link time (symbols and debug information), and no debug information compiled in
# the first place: the profile's line tables would only be stripped again. Set before the
# dependency layer, as the profile is part of every crate's fingerprint.
ENV CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=symbols \
    CARGO_TERM_COLOR=never
COPY --from=skeleton /skeleton/ ./
RUN cargo build --release --locked -p casetrail-api --bin casetrail
COPY . .
# `casetrail --version` names the commit; .git is not sent to the build (.dockerignore), so
# api/build.rs reads it from here. Declared after the dependency layer: a new commit must not
# rebuild the dependencies.
ARG CASETRAIL_COMMIT=""
# The workspace's own crates were compiled from stand-ins, later than the real sources' copied
# modification times, so cargo would take them as fresh: forgetting their fingerprints (every
# member is named casetrail-*) makes cargo compile them again, and only them. The version line
# proves the binary is the real one: a stand-in prints nothing.
RUN rm -rf target/release/.fingerprint/casetrail-* \
    && cargo build --release --locked -p casetrail-api --bin casetrail \
    && ./target/release/casetrail --version | grep '^casetrail '

FROM debian:bookworm-slim
# The system's CA certificates: webhook deliveries over HTTPS verify receivers against them
# (reqwest with rustls-platform-verifier). Nothing else is installed: SQLite is compiled in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# A numeric user and group (10001), so that Kubernetes' runAsNonRoot can verify the user
# without a passwd lookup; the passwd entry is only for tools such as `ps`. The data directory
# is the one place the service writes: the read models' snapshot (a cache) and, with SQLite or
# in development mode, the database and the development keys.
RUN groupadd --system --gid 10001 casetrail \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/casetrail \
       --no-create-home --shell /usr/sbin/nologin casetrail \
    && install -d -o 10001 -g 10001 -m 0700 /var/lib/casetrail
COPY --from=build /src/target/release/casetrail /usr/local/bin/casetrail
USER 10001:10001
WORKDIR /var/lib/casetrail
ENV CASETRAIL_BIND=0.0.0.0:8080 \
    CASETRAIL_DATA_DIR=/var/lib/casetrail
# With `docker run --read-only` the data directory stays writable (an anonymous volume unless
# one is named); nothing else in the image is written to, so no tmpfs is needed.
VOLUME ["/var/lib/casetrail"]
EXPOSE 8080
# Asks GET /health/ready on CASETRAIL_BIND (an unspecified address on the loopback): exit 0
# when ready, 1 otherwise. The image has no HTTP client for it; dash has no /dev/tcp.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s CMD ["casetrail", "health"]
ENTRYPOINT ["casetrail"]
CMD ["serve"]
