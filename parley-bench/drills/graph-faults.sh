#!/usr/bin/env bash
# Drill 3: 10% of Graph calls fail (see docs/drills.md). The emulator fails a random 10% of Graph requests:
# 2.5% each of 500 (code 1), 429 130429 (throughput), a timeout (held past Parley's Graph timeout, then closed
# without an answer) and a dropped connection. COUNT messages over NUMBERS numbers must all end
# sent/delivered/read, or failed with a reason; none stays queued.
# Parley's Graph timeout is shortened to 3 s (PARLEY_CHANNEL_GRAPH_TIMEOUT) and held requests last 5 s, so the
# drill runs in a minute instead of several; the retry backoff is the default (1 s doubling, jitter).
# Knobs: COUNT (2000), NUMBERS (2), THREADS (16), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
COUNT=${COUNT:-2000}; NUMBERS=${NUMBERS:-2}; THREADS=${THREADS:-16}
drill_init graph-faults
ENV=(PARLEY_CHANNEL_GRAPH_TIMEOUT=PT3S)

start_emulator --no-seed --throughput 1000 --status-delays-ms 50,100,150
start_parley "${ENV[@]}"
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers "$NUMBERS" --subscribe > "$WORK/channels.json"
for kind in server_error throughput timeout drop_connection; do
  curl -sf -X POST "$EMU/_emulator/faults" -d "{\"kind\":\"$kind\",\"share\":0.025,\"hold_ms\":5000}" > /dev/null
done
log "faults on: 10% of Graph calls (server_error, throughput, timeout, drop_connection, 2.5% each)"
"${DRILL[@]}" queue --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --count "$COUNT" \
  --threads "$THREADS" --out "$WORK/queued.jsonl" > "$OUT/queue.log" 2>&1
result "$OUT/queue.log"
"${DRILL[@]}" verify-sent --parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json" \
  --queued "$WORK/queued.jsonl" --wait 300 > "$OUT/verify.log" 2>&1 && RC=0 || RC=$?
result "$OUT/verify.log"
curl -s "$PARLEY/actuator/prometheus" -H "Authorization: Bearer $TOKEN" | grep -E '^parley_(send|sending)' > "$OUT/metrics.txt" || true
log "done (exit $RC): $OUT/summary.txt"
exit $RC
