#!/usr/bin/env python3
"""The fault drills' helper (standard library only): talks to a running Parley and a running parley-emulator.

Used by the drill scripts beside it (see README.md there and docs/drills.md). Every subcommand prints
lines starting with RESULT (numbers) or CHECK (a pass/fail verdict) and exits non-zero when a check fails.

  drill.py setup       --parley URL --token T --emulator URL [--numbers N] [--rate R,R,..] [--subscribe] > channels.json
  drill.py inbound     --emulator URL --channels channels.json --seconds S [--threads N] --out wamids.txt
  drill.py verify-inbound --parley URL --token T --channels channels.json --wamids wamids.txt [--emulator URL] [--wait S]
  drill.py queue       --parley URL --token T --channels channels.json --count N [--threads N] --out queued.jsonl
  drill.py verify-sent --parley URL --token T --emulator URL --channels channels.json --queued queued.jsonl [--wait S]
           [--accepted-is-final]
  drill.py send-report --parley URL --token T --emulator URL --channels channels.json --queued queued.jsonl
  drill.py bad-input   --parley URL --token T --channels channels.json --count N [--seed S]
  drill.py large-bodies --parley URL --channels channels.json --count N --size BYTES [--threads N] --out wamids.txt
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

# ---------------------------------------------------------------- HTTP


class Http:
    """One keep-alive connection per thread and host; reconnects on errors."""

    _local = threading.local()

    @classmethod
    def request(cls, method, url, body=None, headers=None, timeout=30):
        u = urllib.parse.urlsplit(url)
        key = (u.hostname, u.port)
        conns = getattr(cls._local, "conns", None)
        if conns is None:
            conns = cls._local.conns = {}
        path = u.path + ("?" + u.query if u.query else "")
        if isinstance(body, str):
            body = body.encode("utf-8")
        h = dict(headers or {})
        for attempt in (1, 2):
            conn = conns.get(key)
            if conn is None:
                conn = conns[key] = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
            try:
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                data = r.read()
                cls._local.last_headers = {k.lower(): v for k, v in r.getheaders()}
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conns.pop(key, None)
                return r.status, data
            except (OSError, http.client.HTTPException):
                conn.close()
                conns.pop(key, None)
                if attempt == 2:
                    raise


def api(method, url, token=None, body=None, timeout=30):
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    status, data = Http.request(method, url, body, headers, timeout)
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    return status, parsed, data


def must(status, parsed, data, *ok):
    if status not in ok:
        raise SystemExit(f"unexpected HTTP {status}: {data[:500]!r}")
    return parsed


def now():
    return time.time()


def parse_time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def check(name, ok, detail=""):
    print(f"CHECK {name} {'PASS' if ok else 'FAIL'} {detail}".rstrip(), flush=True)
    return ok


# ---------------------------------------------------------------- setup

def cmd_setup(a):
    """Seeds N businesses in the emulator, one Parley integration each (templates synced), optionally subscribed."""
    rates = [int(x) for x in a.rate.split(",")] if a.rate else []
    channels = []
    for i in range(a.numbers):
        base = 700000000000000 + random.randint(0, 99_999_999) * 1000 + i * 10
        biz = {"app_id": str(base + 1), "app_secret": f"drill-secret-{base}", "access_token": f"EAAG-drill-{base}",
               "waba_id": str(base + 2), "phone_number_id": str(base + 3),
               "display_phone_number": "1555" + str(base)[-7:], "verified_name": f"Drill {i}"}
        must(*api("POST", a.emulator + "/_emulator/seed", body=biz), 201)
        verify = f"drill-verify-{base}"
        integ = must(*api("POST", a.parley + "/api/v1/channels/whatsapp/integrations", a.token, {
            "name": f"drill {i}", "app_id": biz["app_id"], "app_secret": biz["app_secret"], "waba_id": biz["waba_id"],
            "phone_number_id": biz["phone_number_id"], "access_token": biz["access_token"],
            "graph_base_url": a.emulator, "verify_token": verify}), 201)
        must(*api("POST", f"{a.parley}/api/v1/channels/whatsapp/integrations/{integ['id']}/templates/sync", a.token),
             200, 202)
        if i < len(rates) and rates[i]:
            must(*api("PUT", f"{a.parley}/api/v1/channels/whatsapp/integrations/{integ['id']}/sending", a.token,
                      {"messages_per_second": rates[i]}), 200)
        if a.subscribe:
            must(*api("POST", a.emulator + "/_emulator/subscribe", body={
                "waba_id": biz["waba_id"], "callback_url": integ["webhook_url"], "verify_token": verify}), 200, 202)
        channels.append(dict(biz, integration_id=integ["id"], webhook_url=integ["webhook_url"],
                             verify_token=verify, rate=rates[i] if i < len(rates) and rates[i] else 80))
    if a.subscribe:  # wait for every handshake
        deadline = now() + 120
        while now() < deadline:
            st, bz, raw = api("GET", a.emulator + "/_emulator/businesses")
            text = raw.decode().replace(" ", "")
            if text.count('"webhook_verified":false') == 0:
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the emulator's webhook handshakes did not succeed")
    json.dump(channels, sys.stdout, indent=1)
    print()


def load_channels(path):
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------- inbound load through the emulator

def cmd_inbound(a):
    """Simulated customers write as fast as N threads can post to the emulator, for S seconds."""
    channels = load_channels(a.channels)
    stop = now() + a.seconds
    out = open(a.out, "a")
    lock = threading.Lock()
    counts = {"ok": 0, "err": 0}

    def worker(k):
        rnd = random.Random(k)
        n = 0
        while now() < stop:
            ch = channels[n % len(channels)]
            n += 1
            customer = "1556%07d" % rnd.randint(0, a.customers - 1)
            msg = {"type": "text", "text": {"body": f"drill {k}-{n} " + "x" * rnd.randint(0, 200)}}
            try:
                st, body, raw = api("POST", a.emulator + "/_emulator/inbound", body={
                    "phone_number_id": ch["phone_number_id"], "from": customer, "name": f"Customer {customer[-4:]}",
                    "message": msg})
            except OSError:
                st, body = 0, None
            with lock:
                if st == 202:
                    counts["ok"] += 1
                    out.write(f"{ch['integration_id']} {body['wamid']}\n")
                else:
                    counts["err"] += 1

    t0 = now()
    with ThreadPoolExecutor(a.threads) as ex:
        for k in range(a.threads):
            ex.submit(worker, k)
    out.close()
    el = now() - t0
    print(f"RESULT inbound generated={counts['ok']} errors={counts['err']} seconds={el:.1f} "
          f"rate={counts['ok'] / el:.0f}/s", flush=True)


def parley_inbound_wamids(a, channels):
    """Every inbound message's wamid in Parley (through the API), with how often each appears."""
    seen = {}
    for ch in channels:
        before = None
        convs = []
        while True:
            q = f"integration_id={ch['integration_id']}&limit=200" + (f"&before={before}" if before else "")
            page = must(*api("GET", f"{a.parley}/api/v1/conversations?{q}", a.token), 200)
            convs += page["data"]
            before = page.get("next_before")
            if not before:
                break
        for c in convs:
            before = None
            while True:
                q = "limit=200" + (f"&before={before}" if before else "")
                page = must(*api("GET", f"{a.parley}/api/v1/conversations/{c['id']}/messages?{q}", a.token), 200)
                for m in page["data"]:
                    if m["direction"] == "inbound":  # wamids are unique per integration
                        key = ch["integration_id"] + " " + m["wamid"]
                        seen[key] = seen.get(key, 0) + 1
                before = page.get("next_before")
                if not before:
                    break
    return seen


def emulator_deliveries(emulator):
    st, body, _ = api("GET", emulator + "/_emulator/deliveries?limit=10000", timeout=120)
    return body["data"] if st == 200 else []


def cmd_verify_inbound(a):
    channels = load_channels(a.channels)
    generated = {}
    with open(a.wamids) as f:
        for line in f:
            integ, wamid = line.split()
            generated[integ + " " + wamid] = integ
    deadline = now() + a.wait
    while True:
        seen = parley_inbound_wamids(a, channels)
        lost = [w for w in generated if w not in seen]
        if not lost or now() > deadline:
            break
        print(f"waiting: {len(lost)} of {len(generated)} generated wamids not in Parley yet", flush=True)
        time.sleep(5)
    dup = {w: n for w, n in seen.items() if n > 1}
    extra = [w for w in seen if w not in generated]
    print(f"RESULT inbound generated={len(generated)} stored={len(seen)} lost={len(lost)} "
          f"duplicated={len(dup)} unknown={len(extra)}", flush=True)
    if a.emulator:
        log = emulator_deliveries(a.emulator)
        posts = [d for d in log if d["method"] == "POST"]
        codes = {}
        for d in posts:
            k = str(d["status_code"]) if d["status_code"] else ("error" if d["error"] else "none")
            codes[k] = codes.get(k, 0) + 1
        retried = len({d["delivery_id"] for d in posts if d["attempt"] > 1})
        print(f"RESULT deliveries posts={len(posts)} by_status={json.dumps(codes, sort_keys=True)} "
              f"deliveries_retried={retried} dropped={sum(1 for d in posts if d['dropped'])}", flush=True)
    ok = check("inbound.lost=0", not lost, f"lost={len(lost)} e.g. {lost[:3]}")
    ok &= check("inbound.duplicated=0", not dup, f"duplicated={len(dup)}")
    sys.exit(0 if ok else 1)


# ---------------------------------------------------------------- sending

def cmd_queue(a):
    """Queues COUNT template messages round-robin over the channels; each carries a unique biz_opaque_callback_data.
    With --answers, every answer is logged (start time, status, Retry-After, error code, marker); --pace waits that
    long between a thread's calls, --seconds stops after that long instead of after COUNT, --start-at waits until then."""
    channels = load_channels(a.channels)
    out = open(a.out, "a")
    answers = open(a.answers, "a") if a.answers else None
    lock = threading.Lock()
    counts = {"ok": 0, "err": 0}
    by_status = {}
    run = a.tag or ("q%d" % random.randint(0, 1 << 30))
    if a.start_at:
        time.sleep(max(0.0, a.start_at - now()))
    stop_at = now() + a.seconds if a.seconds else None

    order = list(range(len(channels)))
    if a.weighted:  # messages in proportion to each number's configured rate
        order = [k for k, ch in enumerate(channels) for _ in range(max(1, ch["rate"] // 40))]

    def one(i):
        if stop_at is not None and now() > stop_at:
            return
        ch = channels[order[i % len(order)]]
        marker = f"{run}-{i}"
        to = "1557%07d" % (i % 997)
        body = {"integration_id": ch["integration_id"], "to": to, "type": "template",
                "template": {"name": "hello_world", "language": {"code": "en_US"}},
                "biz_opaque_callback_data": marker}
        t = now()
        retry_after = None
        try:
            st, parsed, raw = api("POST", a.parley + "/api/v1/messages", a.token, body)
            retry_after = Http._local.last_headers.get("retry-after")
        except OSError as e:
            st, parsed, raw = 0, None, str(e).encode()
        code = (parsed or {}).get("error", {}).get("code") if isinstance(parsed, dict) else None
        with lock:
            by_status[str(st)] = by_status.get(str(st), 0) + 1
            if answers:
                answers.write(json.dumps({"t": t, "took": now() - t, "status": st, "retry_after": retry_after,
                                          "code": code, "marker": marker}) + "\n")
            if st == 202:
                counts["ok"] += 1
                out.write(json.dumps({"id": parsed["id"], "marker": marker, "integration_id": ch["integration_id"],
                                      "phone_number_id": ch["phone_number_id"], "queued_at": t}) + "\n")
            else:
                counts["err"] += 1
                if counts["err"] <= 5:
                    print(f"queue error {st}: {raw[:200]!r}", file=sys.stderr)
        if a.pace:
            time.sleep(a.pace)

    t0 = now()
    with ThreadPoolExecutor(a.threads) as ex:
        list(ex.map(one, range(a.count)))
    out.close()
    if answers:
        answers.close()
    el = now() - t0
    print(f"RESULT queue queued={counts['ok']} errors={counts['err']} seconds={el:.1f} "
          f"rate={counts['ok'] / el:.0f}/s by_status={json.dumps(by_status, sort_keys=True)}", flush=True)


def cmd_rates(a):
    """Sets every channel's sending rate: --set N, or --configured (the rate setup gave it)."""
    for ch in load_channels(a.channels):
        r = ch["rate"] if a.configured else a.set
        must(*api("PUT", f"{a.parley}/api/v1/channels/whatsapp/integrations/{ch['integration_id']}/sending", a.token,
                  {"messages_per_second": r}), 200)
    print(f"RESULT rates {'configured' if a.configured else a.set} at {now():.3f}", flush=True)


def load_queued(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def emulator_sent(a, channels):
    sent = {}
    for ch in channels:
        st, body, _ = api("GET", f"{a.emulator}/_emulator/sent?phone_number_id={ch['phone_number_id']}", timeout=120)
        sent[ch["phone_number_id"]] = body["data"]
    return sent


def queue_in_flight(a):
    """Messages in Parley's outbound queue that are not held (ready, waiting or claimed), from /actuator/prometheus."""
    status, _, data = api("GET", f"{a.parley}/actuator/prometheus", a.token)
    if status != 200:
        return None
    n = 0
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
    for line in text.splitlines():
        if line.startswith("parley_sending_queue_depth{") and 'state="held"' not in line:
            n += float(line.rsplit(" ", 1)[1])
    return n


def final_states(a, queued, wait):
    """Polls each message until it is no longer queued (or the wait is over); answers id -> message.

    With --after-queue-empty, first waits (one cheap request a second) until Parley's outbound queue holds nothing
    but held messages, then reads every message: polling thousands of messages one by one while they are being
    sent took most of Parley's CPU in the sending benchmark (run H), which then measured the client, not sending."""
    states = {}
    pending = list(queued)
    deadline = now() + wait
    if getattr(a, "after_queue_empty", False):
        empty_since = None
        while now() < deadline:
            n = queue_in_flight(a)
            if n == 0:  # the depth gauge is cached for a second: zero twice in a row, 2 s apart
                if empty_since is not None and now() - empty_since >= 2:
                    print(f"RESULT queue_empty at={empty_since:.1f} ({time.strftime('%H:%M:%S', time.localtime(empty_since))})",
                          flush=True)
                    break
                empty_since = empty_since or now()
            else:
                empty_since = None
            time.sleep(1)
    while True:
        def get(q):
            st, m, _ = api("GET", f"{a.parley}/api/v1/messages/{q['id']}", a.token)
            return q["id"], m if st == 200 else None

        with ThreadPoolExecutor(8) as ex:
            for mid, m in ex.map(get, pending):
                if m is not None:
                    states[mid] = m
        def done(m):  # with --accepted-is-final, a message Meta accepted (it has a wamid) needs no status webhook
            return m is not None and (m["status"] != "queued" or (getattr(a, "accepted_is_final", False)
                                                                  and m.get("wamid")))

        pending = [q for q in pending if not done(states.get(q["id"]))]
        if not pending or now() > deadline:
            return states, pending
        print(f"waiting: {len(pending)} of {len(queued)} messages still queued", flush=True)
        time.sleep(3)


def cmd_verify_sent(a):
    channels = load_channels(a.channels)
    queued = load_queued(a.queued)
    states, stuck = final_states(a, queued, a.wait)
    sent = emulator_sent(a, channels)
    per_marker = {}
    for pn, lst in sent.items():
        for s in lst:
            req = s.get("request")
            marker = req.get("biz_opaque_callback_data") if isinstance(req, dict) else None
            if marker:
                per_marker[marker] = per_marker.get(marker, 0) + 1
    by_status = {}
    failed_without_reason = []
    for q in queued:
        m = states.get(q["id"])
        s = m["status"] if m else "missing"
        if s == "queued" and a.accepted_is_final and m.get("wamid"):
            s = "accepted"
        by_status[s] = by_status.get(s, 0) + 1
        if s == "failed" and not (m.get("error") or {}).get("message") and not (m.get("error") or {}).get("title"):
            failed_without_reason.append(q["id"])
    ok_states = {"sent", "delivered", "read"} | ({"queued"} if a.accepted_is_final else set())
    never_sent = [q for q in queued if per_marker.get(q["marker"], 0) == 0
                  and (states.get(q["id"]) or {}).get("status") != "failed"]
    twice = [q for q in queued if per_marker.get(q["marker"], 0) > 1]
    lost = [q for q in queued if (states.get(q["id"]) or {}).get("status") not in ok_states | {"failed"}
            or ((states.get(q["id"]) or {}).get("status") == "queued" and not states[q["id"]].get("wamid"))]
    failed = [states[q["id"]] for q in queued if (states.get(q["id"]) or {}).get("status") == "failed"]
    reasons = {}
    for m in failed:
        e = m.get("error") or {}
        k = f"{e.get('code')}:{(e.get('title') or '')[:40]}"
        reasons[k] = reasons.get(k, 0) + 1
    print(f"RESULT sending queued={len(queued)} by_status={json.dumps(by_status, sort_keys=True)} "
          f"accepted_by_emulator={sum(per_marker.values())} sent_twice={len(twice)} "
          f"never_reached_meta={len(never_sent)} stuck={len(stuck)}", flush=True)
    if reasons:
        print(f"RESULT failed_reasons {json.dumps(reasons, sort_keys=True)}", flush=True)
    ok = check("sending.none_stuck", not stuck and not lost, f"stuck={len(stuck)} not_final={len(lost)}")
    ok &= check("sending.none_lost", not never_sent, f"never_reached_meta={len(never_sent)}")
    ok &= check("sending.failed_have_reason", not failed_without_reason, f"without_reason={len(failed_without_reason)}")
    if a.max_twice is not None:
        ok &= check("sending.sent_twice<=%d" % a.max_twice, len(twice) <= a.max_twice, f"sent_twice={len(twice)}")
    sys.exit(0 if ok else 1)


def cmd_send_report(a):
    """Rate per number vs the configured rate, the busiest sliding second, queue-to-accepted latency."""
    channels = load_channels(a.channels)
    queued = load_queued(a.queued)
    by_marker = {q["marker"]: q for q in queued}
    sent = emulator_sent(a, channels)
    ok = True
    for ch in channels:
        mine = []
        for s in sent[ch["phone_number_id"]]:
            req = s.get("request")
            marker = req.get("biz_opaque_callback_data") if isinstance(req, dict) else None
            if marker in by_marker and parse_time(s["accepted_at"]) >= a.since:
                mine.append((parse_time(s["accepted_at"]), by_marker[marker]["queued_at"]))
        if not mine:
            continue
        mine.sort()
        ts = [t for t, _ in mine]
        # the busiest sliding second: for each accepted send, how many fall in [t, t + 1 s)
        best, j = 0, 0
        for i in range(len(ts)):
            while ts[i] - ts[j] >= 1.0:
                j += 1
            best = max(best, i - j + 1)
        span = ts[-1] - ts[0]
        rate = (len(ts) - 1) / span if span > 0 else float("nan")
        lat = sorted(max(0.0, t - q) for t, q in mine)

        def pct(p):
            return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000

        print(f"RESULT send number={ch['phone_number_id']} configured={ch['rate']}/s accepted={len(ts)} "
              f"seconds={span:.2f} rate={rate:.1f}/s ({100 * rate / ch['rate']:.1f}% of configured) "
              f"busiest_1s_window={best} latency_ms p50={pct(50):.0f} p99={pct(99):.0f} p99.9={pct(99.9):.0f} "
              f"max={lat[-1] * 1000:.0f}", flush=True)
        ok &= check(f"send.{ch['phone_number_id']}.never_over_rate", best <= ch["rate"],
                    f"busiest={best} configured={ch['rate']}")
    sys.exit(0 if ok else 1)


# ---------------------------------------------------------------- bad input

def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def good_delivery(ch, rnd):
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": ch["waba_id"], "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {
            "display_phone_number": ch["display_phone_number"], "phone_number_id": ch["phone_number_id"]},
            "messages": [{"from": "15550009999", "id": f"wamid.bad-{rnd.random()}", "timestamp": "1700000000",
                          "type": "text", "text": {"body": "hi"}}]}}]}]}).encode()


a_huge_max = [2_900_000]


def bad_bodies(ch, rnd):
    """Yields (kind, body bytes, signature mode) forever: a mix of every kind of bad input."""
    wrong_types = [
        {"object": 1, "entry": "x"}, {"object": "whatsapp_business_account", "entry": {"a": 1}},
        {"object": "whatsapp_business_account", "entry": [1, "two", None, True]},
        {"object": "whatsapp_business_account", "entry": [{"id": 5, "changes": "nope"}]},
        {"object": "whatsapp_business_account", "entry": [{"id": ch["waba_id"], "changes": [{"field": 7, "value": []}]}]},
        {"object": "whatsapp_business_account", "entry": [{"id": ch["waba_id"], "changes": [{"field": "messages", "value": {
            "metadata": {"phone_number_id": ch["phone_number_id"]}, "messages": [{"id": 12, "from": [], "timestamp": {},
                                                                                 "type": 3, "text": "flat"}]}}]}]},
        {"object": "whatsapp_business_account", "entry": [{"id": ch["waba_id"], "changes": [{"field": "messages", "value": {
            "metadata": {"phone_number_id": ch["phone_number_id"]}, "statuses": [{"id": None, "status": 9,
                                                                                 "timestamp": "soon", "errors": "x"}]}}]}]},
        [], "string", 12, None, True,
    ]
    while True:
        k = rnd.randrange(12)
        if k == 0:
            good = good_delivery(ch, rnd)
            cut = rnd.randrange(1, len(good))
            yield "truncated_json", good[:cut], rnd.choice(["good", "good", "none"])
        elif k == 1:
            shape = rnd.randrange(len(wrong_types))
            # shape 5: a message with a numeric id and no 'from' is stored (wa_id "unknown") by messaging's
            # "nothing is dropped" rule, once per integration (wamid "12"); see docs/drills.md
            yield ("wrong_types_message" if shape == 5 else "wrong_types"), json.dumps(wrong_types[shape]).encode(), "good"
        elif k == 2:
            depth = rnd.choice([100, 1000, 5000, 50000])
            body = ('{"entry":' * depth + "1" + "}" * depth) if rnd.random() < 0.5 else "[" * depth + "]" * depth
            yield "deeply_nested", body.encode(), "good"
        elif k == 3:
            size = min(a_huge_max[0], rnd.choice([200_000, 1_000_000, 2_900_000]))
            body = b'{"object":"whatsapp_business_account","entry":[],"pad":"' + b"a" * size + b'"}'
            yield "huge", body, "good"
        elif k == 4:
            yield "too_large", b'{"pad":"' + b"b" * 3_200_000 + b'"}', rnd.choice(["good", "none"])
        elif k == 5:
            good = good_delivery(ch, rnd)
            bad = rnd.choice([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x00"])
            i = good.index(b'"hi"') + 1
            yield "bad_utf8", good[:i] + bad + good[i:], "good"
        elif k == 6:
            if rnd.random() < 0.4:  # valid JSON (RFC 8259 allows any \\uXXXX): Meta could send it; a message
                good = good_delivery(ch, rnd).replace(b'"hi"', rnd.choice([b'"\\ud800"', b'"\\udfff\\ud800x"']))
                yield "lone_surrogates", good, "good"
            else:
                good = good_delivery(ch, rnd).replace(b'"hi"', rnd.choice([b'"\\u00"', b'"\\x41"', b'"\\uZZZZ"']))
                yield "bad_escapes", good, "good"
        elif k == 7:
            yield "wrong_signature", good_delivery(ch, rnd), rnd.choice(["wrong", "none", "malformed", "sha1"])
        elif k == 8:
            yield "signed_garbage", bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 2000))), "good"
        elif k == 9:
            yield "empty", b"", rnd.choice(["good", "none"])
        elif k == 10:
            yield "not_json", rnd.choice([b"<xml/>", b"hello", b"object=whatsapp", b"{\"a\":1}{", b"NaN", b"{'a':1}"]), "good"
        else:
            # valid JSON of the right shape for numbers nobody knows, and numbers in the wrong fields
            body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
                "field": "messages", "value": {"metadata": {"phone_number_id": str(rnd.randrange(10 ** 15))},
                                               "messages": [{"id": "wamid.x", "type": "text"}]}}]}]}).encode()
            yield "unknown_number", body, "good"


def cmd_bad_input(a):
    channels = load_channels(a.channels)
    rnd = random.Random(a.seed)
    a_huge_max[0] = a.huge_max

    def stored_messages():
        return sum(parley_inbound_wamids(a, channels).values())

    def top_event_id():
        page = must(*api("GET", f"{a.parley}/api/v1/webhook-events?limit=1", a.token), 200)
        return page["data"][0]["id"] if page["data"] else None

    before_msgs = stored_messages()
    first_event = top_event_id()
    gens = [bad_bodies(ch, random.Random(rnd.random())) for ch in channels]
    gen_lock = threading.Lock()

    def jobs():  # generated lazily: 10,000 bodies of up to 3.2 MB do not all fit in memory at once
        for i in range(a.count):
            yield i

    def make(i):
        with gen_lock:
            ch = channels[i % len(channels)]
            kind, body, sig = next(gens[i % len(channels)])
            url = ch["webhook_url"] if rnd.random() < 0.7 else a.parley + "/webhooks/whatsapp"
        return kind, body, sig, ch, url
    stats = {}
    lock = threading.Lock()
    five = []
    wtm_integrations = set()

    def one(i):
        kind, body, sig, ch, url = make(i)
        headers = {"Content-Type": rnd.choice(["application/json", "application/json", "text/plain", "x/y"])}
        if sig == "good":
            headers["X-Hub-Signature-256"] = sign(ch["app_secret"], body)
        elif sig == "wrong":
            headers["X-Hub-Signature-256"] = sign("not-the-secret", body)
        elif sig == "malformed":
            headers["X-Hub-Signature-256"] = "sha256=zz" + "0" * 62
        elif sig == "sha1":
            headers["X-Hub-Signature"] = "sha1=" + hmac.new(ch["app_secret"].encode(), body, hashlib.sha1).hexdigest()
        try:
            st, data = Http.request("POST", url.replace("localhost", "127.0.0.1"), body, headers, timeout=60)
        except OSError as e:
            st = f"io:{type(e).__name__}"
        with lock:
            key = f"{kind}:{st}"
            if kind == "wrong_types_message" and st == 200:
                wtm_integrations.add(ch["integration_id"])
            stats[key] = stats.get(key, 0) + 1
            if isinstance(st, int) and st >= 500 or isinstance(st, str):
                five.append((kind, st))

    t0 = now()
    with ThreadPoolExecutor(a.threads) as ex:
        list(ex.map(one, jobs()))
    el = now() - t0
    by_status = {}
    for k, v in stats.items():
        s = k.rsplit(":", 1)[1]
        by_status[s] = by_status.get(s, 0) + v
    print(f"RESULT bad_input sent={a.count} seconds={el:.1f} by_status={json.dumps(by_status, sort_keys=True)}")
    print(f"RESULT bad_input by_kind_and_status={json.dumps(dict(sorted(stats.items())))}")
    # every 200 must be stored as unparseable/unrouted (never processed into a message)
    outcomes = {}
    before = None
    while True:
        q = "limit=200" + (f"&before={before}" if before else "")
        page = must(*api("GET", f"{a.parley}/api/v1/webhook-events?{q}", a.token), 200)
        stop = False
        for e in page["data"]:
            if first_event is not None and e["id"] == first_event:
                stop = True
                break
            outcomes[e["outcome"]] = outcomes.get(e["outcome"], 0) + 1
        before = page.get("next_before")
        if stop or not before:
            break
    print(f"RESULT bad_input webhook_event_outcomes={json.dumps(outcomes, sort_keys=True)}")
    after_msgs = stored_messages()
    health = api("GET", a.parley + "/actuator/health")[0]
    ok = check("bad_input.no_5xx", not five, f"5xx_or_io={len(five)} e.g. {five[:5]}")
    ok &= check("bad_input.alive", health == 200, f"health={health}")
    lone = stats.get("lone_surrogates:200", 0)
    wtm = len(wtm_integrations)
    ok &= check("bad_input.only_valid_json_became_messages", after_msgs - before_msgs == lone + wtm,
                f"messages {before_msgs} -> {after_msgs}, lone-surrogate deliveries answered 200: {lone}, "
                f"wrong-types messages (once per integration): {wtm}")
    sys.exit(0 if ok else 1)


# ---------------------------------------------------------------- large bodies

def cmd_large_bodies(a):
    """COUNT validly signed deliveries of about SIZE bytes each (one text message plus padding), THREADS at once;
    a 503 is retried like Meta would (after a pause). Writes "integration wamid" lines to --out for verify-inbound."""
    channels = load_channels(a.channels)
    stats = {}
    lock = threading.Lock()
    retries = [0]
    failures = []
    out = open(a.out, "a")
    last_ok = [now()]

    def one(i):
        if now() - last_ok[0] > a.give_up:  # Parley stopped storing anything: do not retry for hours
            with lock:
                failures.append((i, "skipped"))
            return
        ch = channels[i % len(channels)]
        wamid = f"wamid.large-{i}-{random.random()}"
        head = {"object": "whatsapp_business_account", "entry": [{"id": ch["waba_id"], "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {
                "display_phone_number": ch["display_phone_number"], "phone_number_id": ch["phone_number_id"]},
                "contacts": [{"profile": {"name": "Big"}, "wa_id": "15550007777"}],
                "messages": [{"from": "15550007777", "id": wamid, "timestamp": str(int(now())),
                              "type": "text", "text": {"body": f"large body {i}"}}]}}]}]}
        base = json.dumps(head)
        pad = max(0, a.size - len(base) - len(',"padding":""'))
        body = (base[:-1] + ',"padding":"' + "x" * pad + '"}').encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(ch["app_secret"], body)}
        st = None
        for attempt in range(a.attempts):
            try:
                st, _ = Http.request("POST", ch["webhook_url"].replace("localhost", "127.0.0.1"), body, headers,
                                     timeout=60)
            except OSError as e:
                st = f"io:{type(e).__name__}"
            with lock:
                stats[str(st)] = stats.get(str(st), 0) + 1
            if st == 200:
                with lock:
                    last_ok[0] = now()
                    out.write(f"{ch['integration_id']} {wamid}\n")
                    out.flush()
                return
            with lock:
                retries[0] += 1
            if now() - last_ok[0] > a.give_up:
                break
            time.sleep(1 + attempt)
        with lock:
            failures.append((i, st))

    t0 = now()
    with ThreadPoolExecutor(a.threads) as ex:
        list(ex.map(one, range(a.count)))
    el = now() - t0
    out.close()
    health = api("GET", a.parley + "/actuator/health")[0]
    print(f"RESULT large_bodies count={a.count} size={a.size} threads={a.threads} seconds={el:.1f} "
          f"mb_per_s={a.count * a.size / 1e6 / el:.1f} answers={json.dumps(stats, sort_keys=True)} "
          f"retried={retries[0]} never_200={len(failures)}", flush=True)
    ok = check("large_bodies.all_stored_200", not failures, f"never answered 200: {failures[:5]}")
    ok &= check("large_bodies.healthy", health == 200, f"health={health}")
    sys.exit(0 if ok else 1)


# ---------------------------------------------------------------- database outage

def cmd_outage_report(a):
    """What the emulator's webhook POSTs got while the database was down: by status, for POSTs that started in
    [down_at, up_at]; a 200 is impossible for those that started at least --settle seconds (Parley's ack timeout
    and a second) before up_at, when PostgreSQL accepted connections again."""
    log = [d for d in emulator_deliveries(a.emulator) if d["method"] == "POST"]
    during, early_200 = {}, 0
    for d in log:
        t = parse_time(d["at"])
        if a.down_at <= t <= a.up_at:
            k = str(d["status_code"]) if d["status_code"] and d["status_code"] > 0 else "no_answer"
            during[k] = during.get(k, 0) + 1
            if d["status_code"] == 200 and t < a.up_at - a.settle:
                early_200 += 1
    total = sum(during.values())
    print(f"RESULT outage webhook_posts_during={total} by_status={json.dumps(during, sort_keys=True)}", flush=True)
    ok = check("outage.webhooks_refused_while_down", total > 0 and early_200 == 0,
               f"posts during the outage={total}, answered 200 although started {a.settle:.0f}+ s before the "
               f"database came back={early_200}")
    sys.exit(0 if ok else 1)


def cmd_api_outage_report(a):
    """What POST /api/v1/messages answered (queue --answers logs): by status in the whole run and for calls that
    started while the database was down; no 500 anywhere; every 503 is store_unavailable with Retry-After; no call
    refused with an error left anything behind (its marker never reached Meta); when the API accepted again."""
    rows = []
    for path in a.answers:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    total, during = {}, {}
    for r in rows:
        k = str(r["status"]) if r["status"] else "no_answer"
        total[k] = total.get(k, 0) + 1
        if a.down_at <= r["t"] <= a.up_at:
            during[k] = during.get(k, 0) + 1
    bad_503 = [r for r in rows if r["status"] == 503 and (r.get("code") != "store_unavailable" or not r.get("retry_after"))]
    five_hundreds = [r for r in rows if r["status"] == 500]
    back = sorted(r["t"] + r["took"] for r in rows if r["status"] == 202 and r["t"] >= a.down_at
                  and r["t"] + r["took"] >= a.up_at)
    recovery = back[0] - a.up_at if back else None
    refused = {r["marker"] for r in rows if r["status"] and r["status"] != 202}
    sent = emulator_sent(a, load_channels(a.channels))
    left_behind = sum(1 for lst in sent.values() for m in lst
                      if isinstance(m.get("request"), dict) and m["request"].get("biz_opaque_callback_data") in refused)
    slowest_503 = max((r["took"] for r in rows if r["status"] == 503), default=0)
    print(f"RESULT api_outage calls={len(rows)} by_status={json.dumps(total, sort_keys=True)} "
          f"started_while_down={sum(during.values())} while_down_by_status={json.dumps(during, sort_keys=True)} "
          f"slowest_503={slowest_503:.1f}s", flush=True)
    print(f"RESULT api_outage accepted_again_after_up="
          f"{'never' if recovery is None else f'{recovery:.1f}s'} refused_but_sent={left_behind}", flush=True)
    ok = check("api.no_500", not five_hundreds, f"500s={len(five_hundreds)}")
    ok &= check("api.503_store_unavailable_while_down", during.get("503", 0) > 0 and not bad_503,
                f"503s while down={during.get('503', 0)}, 503s without store_unavailable/Retry-After={len(bad_503)}")
    ok &= check("api.refused_left_nothing", left_behind == 0, f"refused calls whose message reached Meta={left_behind}")
    ok &= check("api.accepts_again", recovery is not None, f"first 202 {recovery}")
    sys.exit(0 if ok else 1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def s(name, fn):
        sp = sub.add_parser(name)
        sp.set_defaults(fn=fn)
        sp.add_argument("--parley")
        sp.add_argument("--token")
        sp.add_argument("--emulator")
        sp.add_argument("--channels")
        return sp

    sp = s("setup", cmd_setup)
    sp.add_argument("--numbers", type=int, default=1)
    sp.add_argument("--rate")
    sp.add_argument("--subscribe", action="store_true")
    sp = s("inbound", cmd_inbound)
    sp.add_argument("--seconds", type=float, default=20)
    sp.add_argument("--threads", type=int, default=16)
    sp.add_argument("--customers", type=int, default=50)
    sp.add_argument("--out", required=True)
    sp = s("verify-inbound", cmd_verify_inbound)
    sp.add_argument("--wamids", required=True)
    sp.add_argument("--wait", type=float, default=180)
    sp = s("queue", cmd_queue)
    sp.add_argument("--count", type=int, default=1000)
    sp.add_argument("--threads", type=int, default=16)
    sp.add_argument("--tag")
    sp.add_argument("--weighted", action="store_true")
    sp.add_argument("--out", required=True)
    sp.add_argument("--answers", help="log every answer here (JSON lines)")
    sp.add_argument("--pace", type=float, default=0, help="seconds between a thread's calls")
    sp.add_argument("--seconds", type=float, default=0, help="stop after this long (0: after --count)")
    sp.add_argument("--start-at", type=float, default=0, help="start at this epoch time (0: at once)")
    sp = s("verify-sent", cmd_verify_sent)
    sp.add_argument("--queued", required=True)
    sp.add_argument("--wait", type=float, default=300)
    sp.add_argument("--max-twice", type=int)
    sp.add_argument("--accepted-is-final", action="store_true",
                    help="a message with a wamid counts as sent (no status webhooks: the emulator is not subscribed)")
    sp.add_argument("--after-queue-empty", action="store_true",
                    help="read the messages only once Parley's outbound queue is empty (held messages aside)")
    sp = s("send-report", cmd_send_report)
    sp.add_argument("--queued", required=True)
    sp.add_argument("--since", type=float, default=0, help="only sends accepted after this epoch time")
    sp = s("large-bodies", cmd_large_bodies)
    sp.add_argument("--count", type=int, default=300)
    sp.add_argument("--size", type=int, default=3_000_000)
    sp.add_argument("--threads", type=int, default=8)
    sp.add_argument("--attempts", type=int, default=10)
    sp.add_argument("--give-up", type=float, default=120, help="stop when nothing was answered 200 for this long")
    sp.add_argument("--out", required=True)
    sp = s("outage-report", cmd_outage_report)
    sp.add_argument("--down-at", type=float, required=True)
    sp.add_argument("--up-at", type=float, required=True)
    sp.add_argument("--settle", type=float, default=12)
    sp = s("api-outage-report", cmd_api_outage_report)
    sp.add_argument("--answers", nargs="+", required=True)
    sp.add_argument("--down-at", type=float, required=True)
    sp.add_argument("--up-at", type=float, required=True)
    sp = s("rates", cmd_rates)
    sp.add_argument("--set", type=int)
    sp.add_argument("--configured", action="store_true")
    sp = s("bad-input", cmd_bad_input)
    sp.add_argument("--count", type=int, default=10000)
    sp.add_argument("--threads", type=int, default=8)
    sp.add_argument("--seed", type=int, default=6)
    sp.add_argument("--huge-max", type=int, default=2_900_000, help="largest stored (signed, under 3 MB) body")
    a = p.parse_args()
    for k in ("parley", "emulator"):
        v = getattr(a, k, None)
        if v:
            setattr(a, k, v.rstrip("/"))
    a.fn(a)


if __name__ == "__main__":
    main()
