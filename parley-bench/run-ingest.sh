#!/usr/bin/env bash
# The webhook ingest benchmark, end to end, on one machine (see docs/benchmarks.md):
#   1. builds Parley and the load tool,
#   2. starts the peer (whatsapp-api-js on node:http, ../shared/bench/peer) and measures it with wrk and the tool,
#   3. starts Parley on the embedded H2 database (-Xmx256m) and measures durable ingest flat out, at half the
#      highest rate, and the verification handshake; every run is followed by the exactly-once check,
#   4. starts PostgreSQL (Debian's postgresql package: initdb + pg_ctl as the postgres user, fsync and
#      synchronous_commit on) and Parley on it (-Xmx256m), and measures the same.
# Usage: parley-bench/run-ingest.sh        Results: $OUT/summary.txt (RESULT and VERIFY lines) and one log per step.
# Knobs (environment): DURATION (s, default 20), WARMUP (s, 5; per run), SERVER_WARMUP (s, 45; once per server), CONNECTIONS (32), INTEGRATIONS (4),
# SKIP_BUILD=1, SKIP_PG=1, PEER_DIR (default ../shared/bench/peer), OUT (default /tmp/parley-bench-results).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEER_DIR=${PEER_DIR:-$(cd "$ROOT/../shared/bench/peer" 2>/dev/null && pwd || echo /work/shared/bench/peer)}
OUT=${OUT:-/tmp/parley-bench-results}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
INTEGRATIONS=${INTEGRATIONS:-4}
SERVER_WARMUP=${SERVER_WARMUP:-45}
WORK=/tmp/parley-bench-run
PEER_PORT=5099
H2_PORT=18080
PG_PARLEY_PORT=18081
PG_PORT=15432
TOKEN=prl_bench_owner_token_0123456789abcdef
CP="$ROOT/parley-bench/target/classes:$ROOT/parley-bench/target/lib/*"
TOOL=(java -Xmx1g -XX:+UseParallelGC -cp "$CP" dev.parley.bench.IngestBench)

PIDS=()
PG_DATA=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$PG_DATA" ]; then su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA -m fast stop" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/summary.txt"; }
wait_http() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 1; done; echo "no answer from $1" >&2; return 1; }
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # user+system, 1/100 s
# CPU of a server process per delivery answered during a run: what it costs, whatever the machine's load
cpu_line() { # label pid ticks-before log
  local after acked; after=$(cpu_ticks "$2")
  acked=$(grep -oP 'sent \d+ deliveries in total \(warm-up included\): \K\d+' "$4" || echo 0)
  awk -v l="$1" -v b="$3" -v a="$after" -v n="$acked" 'BEGIN { if (n > 0) printf "CPU %s: %.1f s of server CPU for %d deliveries answered 200 = %.2f ms each\n", l, (a-b)/100, n, (a-b)*10/n }' \
    | tee -a "$OUT/summary.txt"
}

rm -rf "$OUT" "$WORK" && mkdir -p "$OUT" "$WORK"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"; free -m | sed -n 2p | awk '{print "memory: " $2 " MiB"}'
  java -version 2>&1 | head -1; echo "node $(node --version)"; echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee "$OUT/summary.txt"

# ---------------------------------------------------------------- build and tools
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building"
  (cd "$ROOT" && ./mvnw -o -q -DskipTests package)
fi
command -v wrk >/dev/null || apt-get install -y wrk
if [ "${SKIP_PG:-0}" != 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt-get install -y postgresql; fi

# ---------------------------------------------------------------- the peer
mkdir -p /tmp/peer
if [ ! -d /tmp/peer/node_modules/whatsapp-api-js ]; then
  (cd /tmp/peer && npm init -y >/dev/null && npm install whatsapp-api-js@6.3.0 >/dev/null)
fi
cp "$PEER_DIR/peer-server.mjs" "$PEER_DIR/post.lua" /tmp/peer/
(cd /tmp/peer && python3 "$PEER_DIR/make-payload.py" peer-secret > sig.txt)
(cd /tmp/peer && APP_SECRET=peer-secret PORT=$PEER_PORT exec node peer-server.mjs > "$OUT/peer.log" 2>&1) &
PIDS+=($!)
PEER_PID=$!
wait_http "http://127.0.0.1:$PEER_PORT/count"

log "peer: wrk, the README's one-message body ($(load))"
(cd /tmp/peer && wrk -t1 -c32 -d${DURATION}s -s post.lua --latency "http://127.0.0.1:$PEER_PORT/") > "$OUT/peer-wrk.log"
grep -E "Requests/sec|  50%|  99%" "$OUT/peer-wrk.log" | tee -a "$OUT/summary.txt"

log "peer: the tool, the same one-message body (calibration: the tool against wrk) ($(load))"
"${TOOL[@]}" ingest --target peer --url "http://127.0.0.1:$PEER_PORT" --mix text --label peer-text-flat \
  --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --integrations "$INTEGRATIONS" \
  > "$OUT/peer-text.log" 2>&1 || true
grep -E "^(RESULT|VERIFY)" "$OUT/peer-text.log" | tee -a "$OUT/summary.txt"

log "peer: the tool, the realistic mix, flat out ($(load))"
T0=$(cpu_ticks $PEER_PID)
"${TOOL[@]}" ingest --target peer --url "http://127.0.0.1:$PEER_PORT" --label peer-flat \
  --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --integrations "$INTEGRATIONS" \
  > "$OUT/peer-flat.log" 2>&1 || true
cpu_line peer-flat $PEER_PID "$T0" "$OUT/peer-flat.log"
grep -E "^(RESULT|VERIFY)" "$OUT/peer-flat.log" | tee -a "$OUT/summary.txt"
PEER_RATE=$(grep -oP '^RESULT label=peer-flat .*?throughput=\K[0-9]+' "$OUT/peer-flat.log" || echo 0)

# ---------------------------------------------------------------- Parley
start_parley() { # name port [env...]
  local name=$1 port=$2; shift 2
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env PARLEY_DATA_DIR="$WORK/$name/data" PARLEY_BOOTSTRAP_TOKEN=$TOKEN PARLEY_SANDBOX=false \
     SERVER_PORT="$port" "$@" java -Xmx256m -XX:+HeapDumpOnOutOfMemoryError -jar "$ROOT/parley-server/target/parley-server.jar" \
     > "$OUT/parley-$name.log" 2>&1) &
  PARLEY_PID=$!
  PIDS+=($PARLEY_PID)
  wait_http "http://127.0.0.1:$port/actuator/health"
}

# Every 5 s: the processor's counter (parley_webhooks_processed_total) and the writer's queue, to see how fast the
# background processor works through a backlog (columns: unix time, processed total, writer queue).
sample_processor() { # name port
  while sleep 5; do
    curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/actuator/prometheus" 2>/dev/null \
      | awk -v t="$(date +%s)" '/^parley_webhooks_processed_total/ {p=$2} /^parley_webhooks_writer_queue/ {q=$2} END {if (p != "") print t, p, q}'
  done >> "$OUT/parley-$1-processed.txt"
}

measure_parley() { # name port
  local name=$1 port=$2 url="http://127.0.0.1:$2"
  sample_processor "$name" "$port" &
  PIDS+=($!)
  # A fresh JVM spends its first minute compiling (C2 takes most of a core); Meta delivers to a server that has
  # been up for days. So: SERVER_WARMUP seconds of load first, then wait until all of it is processed.
  log "parley-$name: server warm-up, ${SERVER_WARMUP}s flat out, then its backlog processed ($(load))"
  "${TOOL[@]}" ingest --target parley --url "$url" --token $TOKEN --label "parley-$name-warmup" \
    --connections "$CONNECTIONS" --duration "$SERVER_WARMUP" --warmup 0 --integrations "$INTEGRATIONS" \
    > "$OUT/parley-$name-warmup.log" 2>&1 || true
  grep -E "^(RESULT|VERIFY)" "$OUT/parley-$name-warmup.log" | tee -a "$OUT/summary.txt"
  log "parley-$name: flat out, $CONNECTIONS connections ($(load))"
  local t0; t0=$(cpu_ticks "$PARLEY_PID")
  "${TOOL[@]}" ingest --target parley --url "$url" --token $TOKEN --label "parley-$name-flat" \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --integrations "$INTEGRATIONS" \
    > "$OUT/parley-$name-flat.log" 2>&1 &
  local tool=$!
  # the server's CPU when the load ends (the tool prints "sent ..."), before the exactly-once check's API calls
  while kill -0 $tool 2>/dev/null && ! grep -q '^sent ' "$OUT/parley-$name-flat.log"; do sleep 0.2; done
  cpu_line "parley-$name-flat (acks, and the processing done meanwhile)" "$PARLEY_PID" "$t0" "$OUT/parley-$name-flat.log"
  wait $tool || true
  grep -E "^(RESULT|VERIFY)" "$OUT/parley-$name-flat.log" | tee -a "$OUT/summary.txt"
  local best half
  best=$(grep -oP "^RESULT label=parley-$name-flat .*?throughput=\K[0-9]+" "$OUT/parley-$name-flat.log" || echo 0)
  half=$(( best / 2 )); [ "$half" -lt 1 ] && half=1
  log "parley-$name: fixed rate $half/s (half of the flat-out rate), 64 connections ($(load))"
  "${TOOL[@]}" ingest --target parley --url "$url" --token $TOKEN --label "parley-$name-half" --rate "$half" \
    --connections 64 --duration "$DURATION" --warmup "$WARMUP" --integrations "$INTEGRATIONS" \
    > "$OUT/parley-$name-half.log" 2>&1 || true
  grep -E "^(RESULT|VERIFY)" "$OUT/parley-$name-half.log" | tee -a "$OUT/summary.txt"
  log "parley-$name: handshake GET at 1000/s ($(load))"
  "${TOOL[@]}" handshake --url "$url" --token $TOKEN --label "parley-$name-handshake" --rate 1000 \
    --connections 8 --duration "$DURATION" --warmup "$WARMUP" > "$OUT/parley-$name-handshake.log" 2>&1 || true
  grep -E "^RESULT" "$OUT/parley-$name-handshake.log" | tee -a "$OUT/summary.txt"
  curl -sf -H "Authorization: Bearer $TOKEN" "$url/actuator/prometheus" | grep -E "^parley_webhooks|^jvm_memory_used_bytes.*heap" \
    > "$OUT/parley-$name-metrics.txt" || true
  # the processor's best 30 s: deliveries processed per second over any 6 consecutive samples
  awk '{t[NR]=$1; p[NR]=$2} END {best=0; for (i=7; i<=NR; i++) {r=(p[i]-p[i-6])/(t[i]-t[i-6]); if (r>best) best=r}; printf "processor: at best %.0f deliveries/s (30 s window)\n", best}' \
    "$OUT/parley-$name-processed.txt" | tee -a "$OUT/summary.txt" || true
}

start_parley h2 $H2_PORT
measure_parley h2 $H2_PORT
kill "$PARLEY_PID"; wait "$PARLEY_PID" 2>/dev/null || true

if [ "${SKIP_PG:-0}" != 1 ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DATA=$WORK/pgdata
  mkdir -p "$PG_DATA" && chown postgres "$PG_DATA" "$WORK"
  su postgres -c "$PG_BIN/initdb -D $PG_DATA -U postgres --auth=trust -E UTF8" > "$OUT/pg-init.log" 2>&1
  su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA -l $PG_DATA/server.log -w -o '-p $PG_PORT -k /tmp -c max_connections=100 -c shared_buffers=256MB' start" >> "$OUT/pg-init.log" 2>&1
  su postgres -c "psql -h /tmp -p $PG_PORT -c \"CREATE USER parley PASSWORD 'parley'\" -c 'CREATE DATABASE parley OWNER parley'" >> "$OUT/pg-init.log" 2>&1
  start_parley pg $PG_PARLEY_PORT PARLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/parley?reWriteBatchedInserts=true" \
    PARLEY_DB_USER=parley PARLEY_DB_PASSWORD=parley
  measure_parley pg $PG_PARLEY_PORT
fi

log "peer flat-out rate for comparison: $PEER_RATE deliveries/s"
log "done: $OUT/summary.txt"
