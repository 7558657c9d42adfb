#!/usr/bin/env bash
# make slowtest: slowloris and slow-body attacks against `boerse serve` on loopback.
#
# Builds the boerse product, seeds a temporary demo database, starts the server on a free port of
# 127.0.0.1 and records its descriptor count. Then slowhttptest (Debian package, installed when
# missing) runs a slowloris attack (-H) and a slow-body attack (-B, POST to / : the app answers 405
# once a body is complete, but the point is the body that never completes), each with 300
# connections for 40 s, while a probe requests / once a second with curl --max-time 1.
#
# Fails when a probe fails or takes longer than 1 s, or when the server's descriptor count is not
# back to its baseline (±2) within a few seconds after the attacks. The server is killed on exit.
# Bounded: the whole run takes well under 3 minutes once the product is built (about 50 s: the
# server's head deadline, 10 s, ends the slowloris connections and its body deadline, 30 s, the slow
# bodies, so slowhttptest stops before its 40 s with "No open connections left").
# SLOWTEST_CONNECTIONS and SLOWTEST_SECONDS override 300 and 40; SLOWTEST_KEEP=1 keeps the logs.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

CONNECTIONS=${SLOWTEST_CONNECTIONS:-300}
SECONDS_PER_ATTACK=${SLOWTEST_SECONDS:-40}
FD_TOLERANCE=2
SETTLE_SECONDS=15

say() { printf '[slowtest] %s\n' "$*"; }

# --- tools --------------------------------------------------------------------------------------
if ! command -v slowhttptest >/dev/null 2>&1; then
    say "installing slowhttptest"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q slowhttptest >/dev/null
fi
for tool in slowhttptest curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { say "missing tool: $tool"; exit 2; }
done

say "building boerse"
swift build --product boerse >/dev/null || { say "build failed"; exit 2; }
BOERSE="$ROOT/.build/debug/boerse"

# --- server -------------------------------------------------------------------------------------
WORK="$(mktemp -d)"
SERVER_PID=""
PROBE_PID=""
ATTACK_PID=""
cleanup() {
    for pid in $ATTACK_PID $PROBE_PID $SERVER_PID; do
        kill "$pid" 2>/dev/null
    done
    for pid in $ATTACK_PID $PROBE_PID $SERVER_PID; do
        wait "$pid" 2>/dev/null
    done
    [ -n "${SLOWTEST_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$BOERSE" seed --demo --database "$WORK/db.sqlite" >"$WORK/seed.log" 2>&1 || {
    say "seeding failed"
    cat "$WORK/seed.log"
    exit 2
}

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT/"
"$BOERSE" serve --host 127.0.0.1 --port "$PORT" --database "$WORK/db.sqlite" --log-level warning \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

fd_count() { ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l; }

ready=0
for _ in $(seq 1 150); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$URL")" = 200 ]; then ready=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
done
if [ "$ready" != 1 ]; then
    say "server did not come up on $URL"
    cat "$WORK/server.log"
    exit 2
fi

# Warm up (database readers, caches), so the baseline is the steady state and not the cold start.
for _ in $(seq 1 4); do
    warmups=()
    for _ in $(seq 1 8); do
        curl -s -o /dev/null --max-time 5 "$URL" &
        warmups+=($!)
    done
    wait "${warmups[@]}"
done
sleep 1
BASELINE="$(fd_count)"
say "server pid $SERVER_PID on $URL, $BASELINE descriptors at baseline"

# --- probe --------------------------------------------------------------------------------------
# One request a second, each on a new connection; a line per probe: curl's exit code, status, time.
probe() {
    while true; do
        local started result rest
        started=$(date +%s%N)
        result="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 1 "$URL")"
        echo "$? $result $(fd_count)" >>"$WORK/probes.log"
        rest=$((1000 - ($(date +%s%N) - started) / 1000000))
        [ "$rest" -gt 0 ] && sleep "$((rest / 1000)).$(printf '%03d' $((rest % 1000)))"
    done
}
probe &
PROBE_PID=$!

# --- attacks ------------------------------------------------------------------------------------
attack() {
    local name=$1
    shift
    say "attack: $name ($CONNECTIONS connections, at most $SECONDS_PER_ATTACK s)"
    local started=$SECONDS
    timeout $((SECONDS_PER_ATTACK + 30)) slowhttptest "$@" -c "$CONNECTIONS" -l "$SECONDS_PER_ATTACK" -u "$URL" \
        >"$WORK/$name.log" 2>&1 &
    ATTACK_PID=$!
    wait "$ATTACK_PID"
    local status=$?
    ATTACK_PID=""
    # slowhttptest redraws a status screen with colours; reduce it to plain lines.
    tr '\r' '\n' <"$WORK/$name.log" | sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' >"$WORK/$name.txt"
    local connected exit_text
    connected=$(awk '/^connected:/ { if ($2 > max) max = $2 } END { print max + 0 }' "$WORK/$name.txt")
    exit_text=$(grep -m1 'Exit status:' "$WORK/$name.txt" | sed 's/.*Exit status: *//')
    echo "    slowhttptest: at most $connected connections open at once; ended after $((SECONDS - started)) s:" \
        "${exit_text:-no exit status (status $status)}"
    if [ "$connected" -lt $((CONNECTIONS * 9 / 10)) ]; then
        say "FAIL: the $name attack never held $CONNECTIONS connections (at most $connected)"
        ATTACK_FAILED=1
    fi
}

ATTACK_FAILED=""
PHASE_STARTED=$SECONDS
attack slowloris -H -r 100 -i 5
attack slow-body -B -t POST -r 100 -i 5 -s 8192
PHASE_SECONDS=$((SECONDS - PHASE_STARTED))

kill "$PROBE_PID" 2>/dev/null
wait "$PROBE_PID" 2>/dev/null
PROBE_PID=""

# --- descriptors back to baseline ---------------------------------------------------------------
settled=""
after="$(fd_count)"
for _ in $(seq 1 $((SETTLE_SECONDS * 5))); do
    after="$(fd_count)"
    if [ $((after - BASELINE)) -le $FD_TOLERANCE ] && [ $((BASELINE - after)) -le $FD_TOLERANCE ]; then
        settled=1
        break
    fi
    sleep 0.2
done

# --- verdict ------------------------------------------------------------------------------------
total=$(wc -l <"$WORK/probes.log")
failed=$(awk '$1 != 0 || $2 != 200' "$WORK/probes.log" | wc -l)
slow=$(awk '$1 == 0 && $2 == 200 && $3 > 1.0' "$WORK/probes.log" | wc -l)
worst=$(awk '{ if ($3 > max) max = $3 } END { printf "%.3f", max }' "$WORK/probes.log")
peak=$(awk '{ if ($4 > max) max = $4 } END { print max + 0 }' "$WORK/probes.log")
alive=yes
kill -0 "$SERVER_PID" 2>/dev/null || alive=no

say "summary"
echo "    probes:       $total in $PHASE_SECONDS s, failed $failed, slower than 1 s $slow, slowest ${worst} s"
echo "    descriptors:  baseline $BASELINE, peak $peak during the attacks, $after after them"
echo "    server alive: $alive"
if [ -s "$WORK/server.log" ]; then
    echo "    server log (warnings and errors, last 5 lines):"
    tail -n 5 "$WORK/server.log" | sed 's/^/      /'
fi

status=0
if [ -n "$ATTACK_FAILED" ]; then status=1; fi
# About one probe a second (each takes at most 1 s and starts a second after the previous one).
if [ $((total * 10)) -lt $((PHASE_SECONDS * 7)) ]; then
    say "FAIL: too few probes ran ($total in $PHASE_SECONDS s)"
    status=1
fi
if [ "$failed" -gt 0 ]; then
    say "FAIL: $failed probe(s) failed:"
    awk '$1 != 0 || $2 != 200 { print "      curl exit " $1 ", status " $2 ", " $3 " s" }' "$WORK/probes.log" | head -n 10
    status=1
fi
if [ "$slow" -gt 0 ]; then say "FAIL: $slow probe(s) took longer than 1 s"; status=1; fi
if [ -z "$settled" ]; then
    say "FAIL: descriptors not back to baseline $BASELINE (±$FD_TOLERANCE) within $SETTLE_SECONDS s: $after"
    status=1
fi
if [ "$alive" != yes ]; then say "FAIL: the server died"; status=1; fi
[ "$status" = 0 ] && say "PASS" || say "FAILED"
exit "$status"
