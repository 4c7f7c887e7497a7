# The driftlint image, built by goreleaser (dockers_v2 in .goreleaser.yaml) from the static
# release binary: it is never compiled here. Alpine, because CI executors such as GitLab's run
# a job's script: with a shell; pinned by digest. It cannot be built in this repository's CI.
FROM alpine:3.22.2@sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412
ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/driftlint /usr/local/bin/driftlint
# A numeric non-root user (distroless's "nonroot"), so that Kubernetes' runAsNonRoot can check it.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["driftlint"]
CMD ["check", "."]
