# Sourced by the drill scripts: build, start/stop Parley (the real jar) and the emulator (its jar), helpers.
# Knobs (environment): SKIP_BUILD=1, OUT (results dir), WORK (work dir), PARLEY_PORT (18180), EMU_PORT (18190),
# PARLEY_HEAP (256m), EMU_ARGS (extra emulator options), PARLEY_JAR / EMU_JAR (run these jars instead of the built
# ones, e.g. copies, so that a build meanwhile cannot replace them under the running processes).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRILLS="$ROOT/parley-bench/drills"
PARLEY_PORT=${PARLEY_PORT:-18180}
EMU_PORT=${EMU_PORT:-18190}
PARLEY=http://127.0.0.1:$PARLEY_PORT
EMU=http://127.0.0.1:$EMU_PORT
TOKEN=prl_drill_owner_token_0123456789abcdef
PARLEY_HEAP=${PARLEY_HEAP:-256m}
DRILL=(python3 "$DRILLS/drill.py")
PARLEY_PID=""
EMU_PID=""
PIDS=()

drill_init() { # name
  DRILL_NAME=$1
  OUT=${OUT:-/tmp/parley-drills/$DRILL_NAME}
  WORK=${WORK:-/tmp/parley-drills-work/$DRILL_NAME}
  rm -rf "$OUT" "$WORK" && mkdir -p "$OUT" "$WORK"
  {
    echo "drill: $DRILL_NAME"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: $(nproc) cores, $(free -m | awk 'NR==2{print $2}') MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    java -version 2>&1 | head -1
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"
  } | tee "$OUT/summary.txt"
  # another drill (or benchmark) on the same ports would answer instead of ours: refuse to start
  for port in "$PARLEY_PORT" "$EMU_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is in use (another drill running?): set PARLEY_PORT / EMU_PORT" >&2; exit 2
    fi
  done
  trap drill_cleanup EXIT
  trap "exit 130" INT TERM
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building (./mvnw -o -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -o -q -DskipTests package)
  fi
}

drill_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/summary.txt"; }
result() { grep -E "^(RESULT|CHECK)" "$1" | tee -a "$OUT/summary.txt" || true; }

wait_http() { # url [seconds]
  local n=${2:-180}
  for _ in $(seq 1 "$n"); do curl -sf -o /dev/null "$1" && return 0; sleep 1; done
  echo "no answer from $1" >&2; return 1
}

start_emulator() { # extra options...
  (exec java -Xmx512m -jar "${EMU_JAR:-$ROOT/parley-emulator/target/parley-emulator.jar}" --port "$EMU_PORT" \
      --threads 64 "$@" ${EMU_ARGS:-} >> "$OUT/emulator.log" 2>&1) &
  EMU_PID=$!
  PIDS+=("$EMU_PID")
  wait_http "$EMU/_emulator/health"
}

start_parley() { # extra env assignments (KEY=VALUE ...)
  mkdir -p "$WORK/parley"
  (cd "$WORK/parley" && exec env PARLEY_DATA_DIR="$WORK/parley/data" PARLEY_BOOTSTRAP_TOKEN=$TOKEN \
     PARLEY_SANDBOX=false SERVER_PORT="$PARLEY_PORT" "$@" \
     java "-Xmx$PARLEY_HEAP" -jar "${PARLEY_JAR:-$ROOT/parley-server/target/parley-server.jar}" >> "$OUT/parley.log" 2>&1) &
  PARLEY_PID=$!
  PIDS+=("$PARLEY_PID")
  local t0=$SECONDS
  wait_http "$PARLEY/actuator/health"
  log "Parley up (pid $PARLEY_PID) after $((SECONDS - t0)) s"
}

kill9_parley() {
  log "kill -9 Parley (pid $PARLEY_PID)"
  kill -9 "$PARLEY_PID"
  wait "$PARLEY_PID" 2>/dev/null || true
}
