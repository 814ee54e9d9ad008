#!/usr/bin/env bash
# Drill 7: large webhook bodies on the embedded database with the 256 MiB heap (see docs/drills.md, docs/webhooks.md).
# COUNT validly signed deliveries of SIZE bytes each (one text message plus padding: just under Meta's 3 MB limit),
# THREADS at a time, posted straight to the integrations' webhook URLs of a running Parley (real jar, -Xmx256m, H2).
# A 503 is retried after a pause, as Meta would. Then the same data directory is checked: every message stored once.
# Checks: every delivery ends answered 200, no OutOfMemoryError, Parley healthy, every wamid stored exactly once.
# Knobs: COUNT (300), SIZE (3000000), THREADS (8), PARLEY_HEAP (256m), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
COUNT=${COUNT:-300}; SIZE=${SIZE:-3000000}; THREADS=${THREADS:-8}
drill_init large-bodies

start_emulator --no-seed
start_parley
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers 2 > "$WORK/channels.json"
log "posting $COUNT signed bodies of $SIZE bytes ($THREADS threads) to Parley at -Xmx$PARLEY_HEAP"
"${DRILL[@]}" large-bodies --parley $PARLEY --channels "$WORK/channels.json" --count "$COUNT" --size "$SIZE" \
  --threads "$THREADS" --out "$WORK/wamids.txt" > "$OUT/large-bodies.log" 2>&1 && RC=0 || RC=$?
result "$OUT/large-bodies.log"
"${DRILL[@]}" verify-inbound --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" \
  --wamids "$WORK/wamids.txt" --wait 300 > "$OUT/verify.log" 2>&1 || RC=1
result "$OUT/verify.log"
OOM=$(grep -c "OutOfMemoryError" "$OUT/parley.log" || true)
echo "CHECK large_bodies.no_out_of_memory $([ "$OOM" = 0 ] && echo PASS || echo FAIL) OutOfMemoryError lines=$OOM" | tee -a "$OUT/summary.txt"
[ "$OOM" = 0 ] || RC=1
HEALTH=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$PARLEY/actuator/health" || true)
echo "CHECK large_bodies.healthy_after $([ "$HEALTH" = 200 ] && echo PASS || echo FAIL) health=$HEALTH" | tee -a "$OUT/summary.txt"
[ "$HEALTH" = 200 ] || RC=1
ls -l "$WORK/parley/data" | tee -a "$OUT/summary.txt"
log "ERROR lines in Parley's log: $(grep -c ' ERROR ' "$OUT/parley.log" || true)"
log "done (exit $RC): $OUT/summary.txt"
exit $RC
