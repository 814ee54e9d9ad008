#!/usr/bin/env bash
# Drill 5: bad input (see docs/drills.md). COUNT generated deliveries - truncated and malformed JSON, wrong types,
# deeply nested and huge bodies, bodies over the 3 MB limit, bad UTF-8 and bad escapes, wrong, missing, malformed
# and SHA-1 signatures, correctly signed garbage, empty bodies, well-formed deliveries for numbers nobody knows -
# posted to the integrations' URLs and the global URL of a running Parley (real jar, -Xmx256m).
# Checks: no 5xx and no connection errors, Parley alive, stored conversations unchanged, nothing processed into a
# message (every 200 is kept as unparseable/unrouted, visible in GET /api/v1/webhook-events).
# The same generator runs in CI as the JUnit test BadInputH2Test/BadInputPostgresTest (1,000 deliveries).
# Knobs: COUNT (10000), THREADS (8), SEED (6), HUGE_MAX (largest stored body, 2900000), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
COUNT=${COUNT:-10000}; THREADS=${THREADS:-8}; SEED=${SEED:-6}; HUGE_MAX=${HUGE_MAX:-2900000}
drill_init bad-input

start_emulator --no-seed
start_parley
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers 2 --subscribe > "$WORK/channels.json"
# a little real traffic first, so "unchanged" has something to compare
"${DRILL[@]}" inbound --emulator $EMU --channels "$WORK/channels.json" --seconds 3 --threads 2 --out "$WORK/wamids.txt" > "$OUT/inbound.log" 2>&1
"${DRILL[@]}" verify-inbound --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --wamids "$WORK/wamids.txt" --wait 60 > "$OUT/verify-before.log" 2>&1
result "$OUT/verify-before.log"
log "posting $COUNT bad deliveries ($THREADS threads)"
"${DRILL[@]}" bad-input --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --count "$COUNT" \
  --threads "$THREADS" --seed "$SEED" --huge-max "$HUGE_MAX" > "$OUT/bad-input.log" 2>&1 && RC=0 || RC=$?
result "$OUT/bad-input.log"
"${DRILL[@]}" verify-inbound --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --wamids "$WORK/wamids.txt" --wait 10 > "$OUT/verify-after.log" 2>&1 || RC=1
result "$OUT/verify-after.log"
curl -s "$PARLEY/actuator/prometheus" -H "Authorization: Bearer $TOKEN" | grep -E '^parley_webhooks_received_total' | tee -a "$OUT/summary.txt" || true
grep -c " ERROR " "$OUT/parley.log" | xargs -I{} log "ERROR lines in Parley's log: {}"
log "done (exit $RC): $OUT/summary.txt"
exit $RC
