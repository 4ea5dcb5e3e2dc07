# Build: docker build -t sukma .   Run: docker run --stop-timeout 35 -p 8080:8080 -v sukma-data:/data sukma
# (Sukma drains requests for up to 30 s on SIGTERM; Docker's default is to kill after 10 s.)
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sukma ./cmd/sukma

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data sukma \
    && mkdir /data && chown sukma /data
COPY --from=build /out/sukma /usr/local/bin/sukma
USER sukma
WORKDIR /data
VOLUME /data
ENV SUKMA_DATABASE_URL=sqlite:/data/sukma.db
EXPOSE 8080
CMD ["sukma", "serve"]
