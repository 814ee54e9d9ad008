#!/usr/bin/env bash
# Benchmark: sending (see docs/drills.md). Parley (real jar, -Xmx256m, embedded H2) sends through the emulator
# (its throughput limit raised to 2,000/s so that only Parley's pacing limits the rate) for 4 numbers configured at
# RATES messages per second (one at 1,000/s, three at Meta's default 80/s).
#   backlog: every number's rate is set to 1/s while BACKLOG_SECONDS seconds' worth of messages (per number, at its
#            configured rate) are queued, then the configured rates are set: the rate each number reaches, and the
#            highest count in any sliding second (from the emulator's accepted timestamps) against the configured rate;
#   steady:  STEADY_COUNT messages queued as fast as the client can (well below the rates): queue-to-accepted latency;
#   faults:  the backlog again with 10% of Graph calls failing (500, 130429, timeout, dropped connection).
# Status webhooks: off by default (SUBSCRIBE=0: the emulator is not subscribed, so the run measures sending alone and
# a message counts as sent once it has Meta's wamid); SUBSCRIBE=1 lets the emulator post sent/delivered/read
# statuses back to Parley, as Meta does, which adds that ingest to the load.
# Knobs: RATES (1000,80,80,80), BACKLOG_SECONDS (6), STEADY_COUNT (2000), THREADS (16), SUBSCRIBE (0), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
RATES=${RATES:-1000,80,80,80}; BACKLOG_SECONDS=${BACKLOG_SECONDS:-6}; STEADY_COUNT=${STEADY_COUNT:-2000}
THREADS=${THREADS:-16}; SUBSCRIBE=${SUBSCRIBE:-0}
SUB=(--subscribe); FINAL=()
if [ "$SUBSCRIBE" != 1 ]; then SUB=(); FINAL=(--accepted-is-final); fi
drill_init send-bench
# Graph timeout 10 s (the default is 20 s): long enough that a loaded machine's slow answers do not time out (a
# timed-out send that Meta did accept is sent again: a duplicate), short enough for the injected timeouts (held 15 s)
ENV=(PARLEY_CHANNEL_GRAPH_TIMEOUT=${GRAPH_TIMEOUT:-PT10S})
NUMBERS=$(echo "$RATES" | tr ',' '\n' | wc -l)
BACKLOG=$(( $(echo "$RATES" | tr ',' '+' | bc) * BACKLOG_SECONDS ))

start_emulator --no-seed --throughput 2000 --status-delays-ms 50,100,150
start_parley "${ENV[@]}"
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers "$NUMBERS" --rate "$RATES" "${SUB[@]}" > "$WORK/channels.json"
C=(--parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json")

backlog() { # label
  local label=$1
  "${DRILL[@]}" rates "${C[@]}" --set 1 > /dev/null
  log "$label: queueing $BACKLOG messages (in proportion to the rates) while every number is held at 1/s ($(cut -d' ' -f1 /proc/loadavg) load)"
  "${DRILL[@]}" queue "${C[@]}" --count "$BACKLOG" --weighted --threads "$THREADS" --tag "$label" --out "$WORK/$label.jsonl" > "$OUT/$label-queue.log" 2>&1
  result "$OUT/$label-queue.log"
  "${DRILL[@]}" rates "${C[@]}" --configured > "$OUT/$label-rates.log"
  local since; since=$(grep -oP 'at \K[0-9.]+' "$OUT/$label-rates.log")
  log "$label: configured rates set ($RATES); sending"
  "${DRILL[@]}" verify-sent "${C[@]}" --queued "$WORK/$label.jsonl" --wait 600 --after-queue-empty "${FINAL[@]}" > "$OUT/$label-verify.log" 2>&1 || true
  result "$OUT/$label-verify.log"
  "${DRILL[@]}" send-report "${C[@]}" --queued "$WORK/$label.jsonl" --since "$since" > "$OUT/$label-report.log" 2>&1 || true
  result "$OUT/$label-report.log"
  log "$label: done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  curl -s "$PARLEY/actuator/prometheus" -H "Authorization: Bearer $TOKEN" | grep -E '^parley_sending' > "$OUT/$label-metrics.txt" || true
}

backlog backlog
log "steady: $STEADY_COUNT messages queued as fast as $THREADS client threads can, at the configured rates ($(cut -d' ' -f1 /proc/loadavg) load)"
"${DRILL[@]}" queue "${C[@]}" --count "$STEADY_COUNT" --weighted --threads "$THREADS" --tag steady --out "$WORK/steady.jsonl" > "$OUT/steady-queue.log" 2>&1
result "$OUT/steady-queue.log"
"${DRILL[@]}" verify-sent "${C[@]}" --queued "$WORK/steady.jsonl" --wait 600 --after-queue-empty "${FINAL[@]}" > "$OUT/steady-verify.log" 2>&1 || true
result "$OUT/steady-verify.log"
"${DRILL[@]}" send-report "${C[@]}" --queued "$WORK/steady.jsonl" > "$OUT/steady-report.log" 2>&1 || true
result "$OUT/steady-report.log"
log "steady: done (load average $(cut -d' ' -f1-3 /proc/loadavg))"

for kind in server_error throughput timeout drop_connection; do
  curl -sf -X POST "$EMU/_emulator/faults" -d "{\"kind\":\"$kind\",\"share\":0.025,\"hold_ms\":15000}" > /dev/null
done
log "faults on: 10% of Graph calls"
backlog faults
curl -s "$PARLEY/actuator/prometheus" -H "Authorization: Bearer $TOKEN" | grep -E '^parley_sending' > "$OUT/metrics.txt" || true
log "done: $OUT/summary.txt"
