#!/usr/bin/env bash
# Drill 1: kill -9 of Parley during full-rate webhook ingest, then restart (see docs/drills.md).
# The emulator plays Meta: simulated customers (POST /_emulator/inbound, as fast as THREADS threads can) become
# signed, batched webhook deliveries to Parley; whatever is not answered 200 is retried by the emulator on Meta's
# schedule, shrunk by --retry-time-scale. Parley (the real jar, -Xmx256m, embedded H2) is killed with SIGKILL
# KILL_AFTER seconds into the load and restarted RESTART_AFTER seconds later on the same data directory.
# Afterwards every wamid the emulator generated must be in Parley's API exactly once: lost = 0, duplicated = 0.
# Knobs: SECONDS_LOAD (30), KILL_AFTER (10), RESTART_AFTER (3), THREADS (16), NUMBERS (2), SKIP_BUILD=1, DB=pg
# (use PostgreSQL from pg-lib.sh instead of H2).
. "$(dirname "$0")/common.sh"
SECONDS_LOAD=${SECONDS_LOAD:-30}; KILL_AFTER=${KILL_AFTER:-10}; RESTART_AFTER=${RESTART_AFTER:-3}
THREADS=${THREADS:-16}; NUMBERS=${NUMBERS:-2}
drill_init kill9-ingest

start_emulator --no-seed --retry-time-scale 0.001 --status-delays-ms 50,100,150
start_parley
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers "$NUMBERS" --subscribe > "$WORK/channels.json"
log "load: $THREADS threads posting inbound messages to the emulator for $SECONDS_LOAD s; kill -9 at $KILL_AFTER s"
"${DRILL[@]}" inbound --emulator $EMU --channels "$WORK/channels.json" --seconds "$SECONDS_LOAD" --threads "$THREADS" \
  --out "$WORK/wamids.txt" > "$OUT/inbound.log" 2>&1 &
LOAD=$!
sleep "$KILL_AFTER"
curl -s "$PARLEY/actuator/prometheus" -H "Authorization: Bearer $TOKEN" | grep -E '^parley_webhooks_received_total' \
  > "$OUT/metrics-before-kill.txt" || true
kill9_parley
sleep "$RESTART_AFTER"
start_parley
wait "$LOAD"
result "$OUT/inbound.log"
log "verifying through the API (waits for the emulator's retries)"
"${DRILL[@]}" verify-inbound --parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json" \
  --wamids "$WORK/wamids.txt" --wait 300 > "$OUT/verify.log" 2>&1 && RC=0 || RC=$?
result "$OUT/verify.log"
log "done (exit $RC): $OUT/summary.txt"
exit $RC
