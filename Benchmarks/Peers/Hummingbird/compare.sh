#!/usr/bin/env bash
# Checks that the Hummingbird peer serves the same pages as the main server: both run on one freshly seeded
# database, the same URLs are fetched from both, and the bodies are compared byte for byte (a unified diff is
# printed when they differ). Prints status and byte size per URL, and with TIMING=1 a rough single-connection
# time per page (curl's time_total, median of TIMING_RUNS sequential requests; context, not a benchmark).
#
#   Benchmarks/Peers/Hummingbird/compare.sh
#
# Environment:
#   BOERSE_BIN   the main server's binary (default .build/debug/boerse, built here unless SKIP_BUILD=1)
#   PEER_BIN     the peer's binary (default HummingbirdPeer/.build/release/hummingbird-peer, built likewise)
#   SKIP_BUILD=1 use the binaries as they are
#   SCALE=N      also seed N generated listings (`boerse seed --scale N`; the benchmark uses 20000)
#   OURS_PORT, PEER_PORT (default 18380, 18381)
#   TIMING=1, TIMING_RUNS (default 21)
#   KEEP=1       leave the temporary folder (database, fetched pages) in place
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
package="$here/HummingbirdPeer"
ours_port="${OURS_PORT:-18380}"
peer_port="${PEER_PORT:-18381}"
public_url="http://localhost:8080"
boerse="${BOERSE_BIN:-$root/.build/debug/boerse}"
peer="${PEER_BIN:-$package/.build/release/hummingbird-peer}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    [[ -n "${BOERSE_BIN:-}" ]] || (cd "$root" && swift build --product boerse)
    [[ -n "${PEER_BIN:-}" ]] || swift build -c release --package-path "$package"
fi

work="$(mktemp -d /tmp/hummingbird-peer-compare.XXXXXX)"
database="$work/compare.sqlite"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$boerse" migrate --database "$database" --root "$root" --log-level warning >/dev/null
"$boerse" seed --demo --database "$database" --root "$root" --log-level warning >/dev/null
if [[ -n "${SCALE:-}" ]]; then
    "$boerse" seed --scale "$SCALE" --database "$database" --root "$root" --log-level warning >/dev/null
fi

"$boerse" serve --database "$database" --root "$root" --host 127.0.0.1 --port "$ours_port" \
    --public-url "$public_url" --log-level warning >"$work/ours.log" 2>&1 &
pids+=($!)
"$peer" --database "$database" --root "$root" --host 127.0.0.1 --port "$peer_port" \
    --public-url "$public_url" >"$work/peer.log" 2>&1 &
pids+=($!)

for port in "$ours_port" "$peer_port"; do
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
        sleep 0.1
    done
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || {
        echo "server on port $port did not start:"
        cat "$work/ours.log" "$work/peer.log"
        exit 1
    }
done

# A detail page from the list, one with a lead paragraph if there is one, a filter from the form, and the
# search: the form alone, the benchmark's query (page 1 and 2), one finding volunteer offers too (cards link
# by kind), and one that finds nothing.
curl -fs "http://127.0.0.1:$ours_port/ehrenamt" >"$work/list.html"
first_id="$(grep -o 'href="/ehrenamt/[0-9]*"' "$work/list.html" | head -1 | grep -o '[0-9]*')"
last_id="$(grep -o 'href="/ehrenamt/[0-9]*"' "$work/list.html" | tail -1 | grep -o '[0-9]*')"
municipality="$(grep -o 'name="gemeinde" value="[^"]*"' "$work/list.html" | sed -n 3p | sed 's/.*value="//; s/"//')"
topic="$(grep -o 'name="thema" value="[^"]*"' "$work/list.html" | sed -n 2p | sed 's/.*value="//; s/"//')"

paths=(
    "/healthz"
    "/ehrenamt"
    "/ehrenamt?seite=2"
    "/ehrenamt?gemeinde=$municipality&thema=$topic&deutsch=wenig"
    "/ehrenamt?thema=$topic"
    "/ehrenamt/$first_id"
    "/ehrenamt/$last_id"
    "/suche"
    "/suche?q=kinder"
    "/suche?q=kinder&seite=2"
    "/suche?q=ich%20helfe"
    "/suche?q=Zitronenfalter%20Schmetterling"
)

failed=0
printf '%-60s %8s %8s %8s  %s\n' "path" "ours" "peer" "diff %" "body"
for path in "${paths[@]}"; do
    name="$(echo "$path" | tr -c 'a-zA-Z0-9' '_')"
    ours_status="$(curl -s -o "$work/ours$name" -w '%{http_code}' "http://127.0.0.1:$ours_port$path")"
    peer_status="$(curl -s -o "$work/peer$name" -w '%{http_code}' "http://127.0.0.1:$peer_port$path")"
    ours_size="$(wc -c <"$work/ours$name")"
    peer_size="$(wc -c <"$work/peer$name")"
    percent="$(awk -v a="$ours_size" -v b="$peer_size" 'BEGIN { printf "%.2f", a ? (b - a) * 100 / a : 0 }')"
    if [[ "$ours_status" != "$peer_status" ]]; then
        verdict="status $ours_status vs $peer_status"
        failed=1
    elif cmp -s "$work/ours$name" "$work/peer$name"; then
        verdict="identical"
    else
        verdict="DIFFERENT"
        failed=1
    fi
    printf '%-60s %8s %8s %8s  %s\n' "$path" "$ours_size" "$peer_size" "$percent" "$verdict"
    if [[ "$verdict" == DIFFERENT ]]; then
        diff -u --label "ours $path" --label "peer $path" "$work/ours$name" "$work/peer$name" | head -40 || true
    fi
done

if [[ "${TIMING:-0}" == 1 ]]; then
    runs="${TIMING_RUNS:-21}"
    echo
    echo "single connection, sequential, median of $runs (curl time_total, ms; includes curl's own start-up):"
    median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] * 1000 }'; }
    for path in "/healthz" "/ehrenamt" "/ehrenamt/$first_id" "/suche?q=kinder"; do
        ours_time="$(for _ in $(seq "$runs"); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$ours_port$path"; done | median)"
        peer_time="$(for _ in $(seq "$runs"); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$peer_port$path"; done | median)"
        printf '%-30s ours %8s ms   peer %8s ms\n' "$path" "$ours_time" "$peer_time"
    done
fi

if [[ "$failed" == 1 ]]; then
    echo "pages differ"
    exit 1
fi
echo "all pages identical"
