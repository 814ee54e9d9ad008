#!/usr/bin/env bash
# Drill 4: the database goes away for OUTAGE seconds under load (see docs/drills.md).
# PostgreSQL (Debian's postgresql package: initdb + pg_ctl as the postgres user, fsync on) runs on PG_PORT;
# Parley (the real jar, -Xmx256m) uses it. Under webhook load driven by the emulator, and with SEND_COUNT messages
# being sent, PostgreSQL is stopped with `pg_ctl stop -m immediate` (its processes are killed, no checkpoint: what a
# crash looks like to clients), kept down OUTAGE seconds, and started again. Parley is never restarted.
# From a second before PostgreSQL goes down, API_THREADS clients also send a message through POST /api/v1/messages
# every half second each, until API_AFTER seconds after the outage's end (every answer of both senders is logged).
# Checks: webhooks were answered 5xx (or not at all) meanwhile and are retried by the emulator; every wamid is stored
# exactly once; every queued message ends sent/delivered/read; /actuator/health is DOWN meanwhile (503 with or without
# the owner's token) and UP again by itself; API sends answer 503 store_unavailable with Retry-After meanwhile, never
# 500, a refused send leaves nothing behind (never reaches Meta), and sends are accepted again afterwards.
# Knobs: OUTAGE (10), SECONDS_LOAD (40), DOWN_AFTER (12), THREADS (8), SEND_COUNT (1500), API_THREADS (4),
# API_AFTER (20), PG_PORT (15532), SKIP_BUILD=1.
. "$(dirname "$0")/common.sh"
OUTAGE=${OUTAGE:-10}; SECONDS_LOAD=${SECONDS_LOAD:-40}; DOWN_AFTER=${DOWN_AFTER:-12}; THREADS=${THREADS:-8}
SEND_COUNT=${SEND_COUNT:-1500}; PG_PORT=${PG_PORT:-15532}; API_THREADS=${API_THREADS:-4}; API_AFTER=${API_AFTER:-20}
drill_init db-outage

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt-get install -y postgresql; fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_DATA=$WORK/pgdata
mkdir -p "$PG_DATA" && chown postgres "$PG_DATA" "$WORK"
pg() { su postgres -c "$*"; }
pg "$PG_BIN/initdb -D $PG_DATA -U postgres --auth=trust -E UTF8" > "$OUT/pg.log" 2>&1
pg_start() { pg "$PG_BIN/pg_ctl -D $PG_DATA -l $WORK/pg-server.log -w -o '-p $PG_PORT -k /tmp -c max_connections=100' start" >> "$OUT/pg.log" 2>&1; }
pg_start
trap 'drill_cleanup; pg "$PG_BIN/pg_ctl -D $PG_DATA -m immediate stop" >/dev/null 2>&1 || true' EXIT
pg "psql -h /tmp -p $PG_PORT -c \"CREATE USER parley PASSWORD 'parley'\" -c 'CREATE DATABASE parley OWNER parley'" >> "$OUT/pg.log" 2>&1

start_emulator --no-seed --retry-time-scale 0.001 --throughput 1000 --status-delays-ms 50,100,150
start_parley PARLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/parley" PARLEY_DB_USER=parley PARLEY_DB_PASSWORD=parley
"${DRILL[@]}" setup --parley $PARLEY --token $TOKEN --emulator $EMU --numbers 2 --subscribe > "$WORK/channels.json"

log "load: inbound for $SECONDS_LOAD s ($THREADS threads), $SEND_COUNT messages queued; PostgreSQL down at $DOWN_AFTER s for $OUTAGE s"
"${DRILL[@]}" inbound --emulator $EMU --channels "$WORK/channels.json" --seconds "$SECONDS_LOAD" --threads "$THREADS" \
  --out "$WORK/wamids.txt" > "$OUT/inbound.log" 2>&1 &
LOAD=$!
"${DRILL[@]}" queue --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" --count "$SEND_COUNT" \
  --threads 4 --out "$WORK/queued.jsonl" --answers "$WORK/api-answers-queue.jsonl" > "$OUT/queue.log" 2>&1 &
QUEUE=$!
# API sends from a second before the outage until API_AFTER s after its end (started now: a Python start takes seconds
# on a loaded machine; its own out file, two writers, one file each)
"${DRILL[@]}" queue --parley $PARLEY --token $TOKEN --channels "$WORK/channels.json" \
  --count $(((OUTAGE + API_AFTER + 5) * 2 * API_THREADS)) --threads "$API_THREADS" --pace 0.5 \
  --start-at $(python3 -c "import time; print(time.time() + $DOWN_AFTER - 1)") --seconds $((OUTAGE + API_AFTER + 5)) \
  --tag outage-api --out "$WORK/queued-outage.jsonl" --answers "$WORK/api-answers-outage.jsonl" \
  > "$OUT/api-during-outage.log" 2>&1 &
API_PROBE=$!
sleep "$DOWN_AFTER"
log "PostgreSQL: pg_ctl stop -m immediate"
STOP_AT=$(date +%s.%N)
pg "$PG_BIN/pg_ctl -D $PG_DATA -m immediate stop" >> "$OUT/pg.log" 2>&1
DOWN_AT=$(date +%s.%N)
# what Parley answers meanwhile: a signed delivery straight to its webhook URL every second
python3 - "$WORK/channels.json" "$PARLEY" "$OUTAGE" > "$OUT/during-outage.log" 2>&1 <<'PY' &
import json, sys, time, hmac, hashlib, urllib.request, urllib.error
ch = json.load(open(sys.argv[1]))[0]
end = time.time() + float(sys.argv[3])
while time.time() < end:
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    sig = "sha256=" + hmac.new(ch["app_secret"].encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(ch["webhook_url"].replace("localhost", "127.0.0.1"), body,
                                 {"Content-Type": "application/json", "X-Hub-Signature-256": sig})
    t = time.time()
    try:
        st = urllib.request.urlopen(req, timeout=15).status
    except urllib.error.HTTPError as e:
        st = e.code
    except Exception as e:
        st = type(e).__name__
    print(f"during outage: POST answered {st} after {time.time() - t:.2f} s", flush=True)
    time.sleep(1)
PY
PROBE=$!
( for _ in $(seq 1 "$OUTAGE"); do printf '%s=' "$(date +%T)"; curl -s -o /dev/null -w '%{http_code} ' -m 8 $PARLEY/actuator/health || true; sleep 1; done ) > "$OUT/health-during-outage.txt" 2>&1 &
HEALTH_LOOP=$!
( sleep $((OUTAGE / 2)); curl -s -m 12 -w ' HTTP %{http_code}' $PARLEY/actuator/health -H "Authorization: Bearer $TOKEN" ) > "$OUT/health-owner-during-outage.json" 2>&1 &
python3 -c "import time; time.sleep(max(0, $DOWN_AT + $OUTAGE - time.time()))"
pg_start
UP_AT=$(date +%s.%N)
# when PostgreSQL really accepted connections again (pg_ctl start itself takes seconds on a loaded machine)
READY_LINE=$(grep "ready to accept connections" "$WORK/pg-server.log" | tail -1 | cut -c1-23)
[ -n "$READY_LINE" ] && UP_AT=$(date -u -d "$READY_LINE" +%s.%N)
log "PostgreSQL stopped at $(date -u -d @"$DOWN_AT" +%T.%2N), accepting connections again at $(date -u -d @"$UP_AT" +%T.%2N): down $(python3 -c "print(round($UP_AT-$DOWN_AT,1))") s"
wait "$PROBE" || true
wait "$HEALTH_LOOP" || true
log "health during the outage (one GET a second): $(cat "$OUT/health-during-outage.txt")"
log "health as the owner sees it mid-outage: $(cat "$OUT/health-owner-during-outage.json")"
cat "$OUT/during-outage.log" | tee -a "$OUT/summary.txt"
T0=$SECONDS
until curl -sf -o /dev/null "$PARLEY/actuator/health"; do sleep 1; [ $((SECONDS - T0)) -gt 120 ] && break; done
log "health UP again $((SECONDS - T0)) s after PostgreSQL came back (same Parley process: pid $PARLEY_PID, alive: $(kill -0 $PARLEY_PID && echo yes || echo no))"
HEALTH_UP=$(curl -s -o /dev/null -w '%{http_code}' -m 8 "$PARLEY/actuator/health" || true)
echo "CHECK outage.health_down_meanwhile $(grep -q 503 "$OUT/health-during-outage.txt" && echo PASS || echo FAIL) $(cat "$OUT/health-during-outage.txt")" | tee -a "$OUT/summary.txt"
echo "CHECK outage.owner_health_503_meanwhile $(grep -q 'HTTP 503' "$OUT/health-owner-during-outage.json" && echo PASS || echo FAIL) $(cat "$OUT/health-owner-during-outage.json")" | tee -a "$OUT/summary.txt"
echo "CHECK outage.health_up_again $([ "$HEALTH_UP" = 200 ] && kill -0 $PARLEY_PID && echo PASS || echo FAIL) health=$HEALTH_UP, same process" | tee -a "$OUT/summary.txt"
wait "$LOAD"
wait "$QUEUE" || true
wait "$API_PROBE" || true
result "$OUT/inbound.log"
result "$OUT/queue.log"
result "$OUT/api-during-outage.log"
cat "$WORK/queued-outage.jsonl" >> "$WORK/queued.jsonl" 2>/dev/null || true
"${DRILL[@]}" verify-inbound --parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json" \
  --wamids "$WORK/wamids.txt" --wait 300 > "$OUT/verify.log" 2>&1 && RC=0 || RC=$?
result "$OUT/verify.log"
"${DRILL[@]}" outage-report --emulator $EMU --down-at "$DOWN_AT" --up-at "$UP_AT" --settle 11 > "$OUT/outage-report.log" 2>&1 || RC=1
result "$OUT/outage-report.log"
"${DRILL[@]}" verify-sent --parley $PARLEY --token $TOKEN --emulator $EMU --channels "$WORK/channels.json" \
  --queued "$WORK/queued.jsonl" --wait 300 > "$OUT/verify-sent.log" 2>&1 && RC2=0 || RC2=$?
result "$OUT/verify-sent.log"
"${DRILL[@]}" api-outage-report --emulator $EMU --channels "$WORK/channels.json" --down-at "$STOP_AT" --up-at "$UP_AT" \
  --answers "$WORK/api-answers-queue.jsonl" "$WORK/api-answers-outage.jsonl" > "$OUT/api-outage-report.log" 2>&1 || RC2=1
result "$OUT/api-outage-report.log"
cp "$WORK"/api-answers-*.jsonl "$OUT/" 2>/dev/null || true
log "ERROR lines in Parley's log: $(grep -c ' ERROR ' "$OUT/parley.log" || true)"
[ $RC = 0 ] && RC=$RC2
cp "$WORK/pg-server.log" "$OUT/" 2>/dev/null || true
log "done (exit $RC): $OUT/summary.txt"
exit $RC
