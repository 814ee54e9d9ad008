#!/usr/bin/env bash
# Drill 2: kill -9 of Parley while it sends (see docs/drills.md). COUNT template messages are queued through
# POST /api/v1/messages over NUMBERS numbers while their rate is held at 1/s (so that a backlog builds up even on a
# slow machine), then the rate is set to 80/s (Meta's default), and Parley is killed with SIGKILL KILL_AFTER seconds
# later, in full flow; it is restarted, and every message that got a 202 must end sent/delivered/read (none lost,
# none stuck). Each message carries a unique biz_opaque_callback_data, so the emulator's
# GET /_emulator/sent shows how many reached "Meta" twice (at most those in flight at the kill).
# The sending lease is shortened to 10 s (PARLEY_SENDING_LEASE) so the restarted node takes its dead
# predecessor's claims over sooner; with the default 60 s the result is the same, only later.
# Knobs: COUNT (2000), NUMBERS (2), KILL_AFTER (4), RESTART_AFTER (3), THREADS (16), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
COUNT=${COUNT:-2000}; NUMBERS=${NUMBERS:-2}; KILL_AFTER=${KILL_AFTER:-4}; RESTART_AFTER=${RESTART_AFTER:-3}
THREADS=${THREADS:-16}
drill_init kill9-sending
ENV=(PARLEY_SENDING_LEASE=PT10S)

start_emulator --no-seed --throughput 1000 --status-delays-ms 50,100,150
start_parley "${ENV[@]}"
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers "$NUMBERS" --subscribe > "$WORK/channels.json"
"${DRILL[@]}" rates --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --set 1 > /dev/null
log "queueing $COUNT messages over $NUMBERS numbers (held at 1/s)"
"${DRILL[@]}" queue --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --count "$COUNT" \
  --threads "$THREADS" --out "$WORK/queued.jsonl" > "$OUT/queue.log" 2>&1
result "$OUT/queue.log"
"${DRILL[@]}" rates --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --configured > /dev/null
log "rates back to 80/s; kill -9 in $KILL_AFTER s"
sleep "$KILL_AFTER"
kill9_parley
accepted() { for pn in $(python3 -c "import json;print(' '.join(c['phone_number_id'] for c in json.load(open('$WORK/channels.json'))))"); do curl -s "$EMU/_emulator/sent?phone_number_id=$pn" | grep -o '"wamid"' | wc -l; done | paste -sd+ | bc; }
log "accepted by the emulator when Parley died: $(accepted) of $(wc -l < "$WORK/queued.jsonl")"
sleep "$RESTART_AFTER"
start_parley "${ENV[@]}"
log "verifying: every queued message ends sent/delivered/read, how many reached Meta twice"
"${DRILL[@]}" verify-sent --parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json" \
  --queued "$WORK/queued.jsonl" --wait 300 > "$OUT/verify.log" 2>&1 && RC=0 || RC=$?
result "$OUT/verify.log"
log "done (exit $RC): $OUT/summary.txt"
exit $RC
