#!/usr/bin/env python3
"""make bench: our server against nginx and a Hummingbird 2 peer, side by side, in one run.

Builds release binaries, seeds a database (demo organisations and events plus BENCH_SCALE generated
listings), then for every scenario starts each server afresh pinned to core 0 (taskset) and drives
it with wrk pinned to core 1 over loopback: BENCH_RUNS runs of BENCH_SECONDS each, medians reported.
Each server is started anew per scenario, so its peak resident memory (VmHWM of its processes)
belongs to that scenario. Writes Benchmarks/results/latest.md (tables, ratios ours/peer, machine).

Our server runs twice where pages are rendered: as it is deployed (listing pages kept for visitors
without a session, `PageCache`) and with `--no-page-cache`, rendering every request like the peer.

After the scenarios, the scale runs: list, detail and search of our server without the page cache at
each of BENCH_SCALES listings (the queries are what grows), one table with the slowdown from the
smallest to the largest. The results end with the goals of issue 6, each marked met or not.

Environment: BENCH_SECONDS (10), BENCH_RUNS (3), BENCH_SCALE (20000), BENCH_SCALES
("1000,20000,200000"; empty skips the scale runs), BENCH_ONLY (comma-separated scenario ids, for
development; "none" runs no scenario), BENCH_OUTPUT (results file). Standard library only.
"""
import json
import urllib.parse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-bench")
# One folder deeper than the peer's own: SwiftPM names a root package after its folder, and one named
# "Hummingbird" would shadow the dependency of that name.
PEER_DIR = os.path.join(ROOT, "Benchmarks", "Peers", "Hummingbird", "HummingbirdPeer")
PEER_BINARY = os.path.join(PEER_DIR, ".build", "release", "hummingbird-peer")
OURS_BINARY = os.path.join(ROOT, ".build", "release", "boerse")
REPORT_LUA = os.path.join(ROOT, "Benchmarks", "wrk", "report.lua")

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SCALE = int(os.environ.get("BENCH_SCALE", "20000"))
ONLY = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1000,20000,200000").split(",") if s.strip()]
OUTPUT = os.environ.get("BENCH_OUTPUT", os.path.join(ROOT, "Benchmarks", "results", "latest.md"))
SERVER_CORE = "0"
CLIENT_CORE = "1"
GZIP = "Accept-Encoding: gzip"


def log(text):
    print(f"[bench] {text}", flush=True)


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


# ---------------------------------------------------------------------------------------------
# Preparation


def build():
    log("building our server (release)")
    run(["swift", "build", "-c", "release", "--product", "boerse"], cwd=ROOT)
    if os.path.isdir(PEER_DIR):
        log("building the Hummingbird peer (release)")
        # SwiftPM keeps the peer's build plan, and with it the file list of our `Storage` target (a path
        # dependency), until the peer's own manifest changes: a file added to Storage would be missing.
        # Dropping the plan makes it plan again; only what changed is compiled.
        plan = os.path.join(PEER_DIR, ".build", "release", "description.json")
        if os.path.exists(plan):
            os.remove(plan)
        run(["swift", "build", "-c", "release", "--package-path", PEER_DIR])


def prepare_root():
    """A project root for the servers: the real folders, plus a 2 KB static file in Public/bench/."""
    root = os.path.join(WORK, "root")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    # Copies, not links: the template loader does not descend into a linked folder.
    for name in ("Templates", "Migrations", "Regions", "Localization", "Config", "Data", "Seeds"):
        if os.path.isdir(os.path.join(ROOT, name)):
            shutil.copytree(os.path.join(ROOT, name), os.path.join(root, name))
    shutil.copytree(os.path.join(ROOT, "Public"), os.path.join(root, "Public"))
    bench_dir = os.path.join(root, "Public", "bench")
    os.makedirs(bench_dir)
    line = "Ehrenamt verbindet Menschen im Kreis; wer hilft, bekommt viel zurueck.\n"
    text = (line * (2048 // len(line) + 1))[:2048]
    with open(os.path.join(bench_dir, "2k.txt"), "w") as out:
        out.write(text)
    return root


def seed(root, scale):
    database = os.path.join(WORK, f"bench-{scale}.sqlite")
    if os.path.exists(database):
        return database
    log(f"seeding a database with demo data and {scale} generated listings")
    common = ["--root", root, "--database", database + ".tmp", "--log-level", "warning"]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + ".tmp" + suffix):
            os.remove(database + ".tmp" + suffix)
    run([OURS_BINARY, "migrate"] + common, stdout=subprocess.DEVNULL)
    run([OURS_BINARY, "seed", "--demo"] + common, stdout=subprocess.DEVNULL)
    run([OURS_BINARY, "seed", "--scale", str(scale)] + common, stdout=subprocess.DEVNULL)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(database + ".tmp" + suffix):
            os.remove(database + ".tmp" + suffix)
    os.rename(database + ".tmp", database)
    return database


# ---------------------------------------------------------------------------------------------
# Servers


class Server:
    """One server process (tree) pinned to the server core; knows its base URL."""

    def __init__(self, name, command, port, cwd=None):
        self.name = name
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE] + command, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd,
            start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited at start; see {self.log_path}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{name} did not answer /healthz within 30 s; see {self.log_path}")

    def pids(self):
        """The process and its children (nginx's worker)."""
        found = [self.process.pid]
        try:
            children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
            found += [int(pid) for pid in children.stdout.split()]
        except OSError:
            pass
        return found

    def peak_rss_mb(self, field="VmHWM"):
        """Peak (VmHWM) or, with field="VmRSS", current resident memory of the server's processes."""
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as status:
                    match = re.search(field + r":\s+(\d+) kB", status.read())
                    total += int(match.group(1)) if match else 0
            except OSError:
                pass
        return total / 1024

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def start_ours(root, database, keep_pages=True):
    port = free_port()
    extra = [] if keep_pages else ["--no-page-cache"]
    return Server("ours" if keep_pages else "ours-render", [
        OURS_BINARY, "serve", "--root", root, "--database", database, "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--mail-transport", "outbox",
        "--trusted-proxies", "127.0.0.1", "--public-url", f"http://127.0.0.1:{port}"] + extra, port)


def start_peer(root, database):
    port = free_port()
    return Server("hummingbird", [
        PEER_BINARY, "--root", root, "--database", database, "--host", "127.0.0.1", "--port", str(port),
        "--public-url", f"http://127.0.0.1:{port}", "--log-level", "warning"], port)


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000;
    keepalive_timeout 60s;
    types {{ text/html html; text/css css; text/plain txt; }}
    default_type application/octet-stream;
    gzip_static on;
    client_body_temp_path {work}/nginx-tmp;
    proxy_temp_path {work}/nginx-tmp;
    fastcgi_temp_path {work}/nginx-tmp;
    uwsgi_temp_path {work}/nginx-tmp;
    scgi_temp_path {work}/nginx-tmp;
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        root {docroot};
        location = /healthz {{ default_type text/plain; return 200 "ok"; }}
        location = /ehrenamt {{ default_type "text/html; charset=utf-8"; try_files /ehrenamt.html =404; }}
        location /static/ {{ }}
    }}
}}
"""


def prepare_nginx_docroot(root, ours):
    """The same bytes as static files: our list page as rendered, our static files, and .gz siblings."""
    docroot = os.path.join(WORK, "nginx-root")
    shutil.rmtree(docroot, ignore_errors=True)
    shutil.copytree(os.path.join(root, "Public"), os.path.join(docroot, "static"))
    _, _, page = fetch(ours.base + "/ehrenamt")
    with open(os.path.join(docroot, "ehrenamt.html"), "wb") as out:
        out.write(page)
    # Precompressed siblings for gzip_static, as ours keeps compressed static files in memory.
    for folder, _, files in os.walk(docroot):
        for name in files:
            if name.endswith((".css", ".html", ".txt")):
                path = os.path.join(folder, name)
                run(["gzip", "-k", "-6", "-f", path])
    return docroot, len(page)


def start_nginx(docroot):
    port = free_port()
    os.makedirs(os.path.join(WORK, "nginx-tmp"), exist_ok=True)
    conf = os.path.join(WORK, "nginx.conf")
    with open(conf, "w") as out:
        out.write(NGINX_CONF.format(work=WORK, port=port, docroot=docroot))
    return Server("nginx", ["nginx", "-c", conf, "-p", WORK], port)


# ---------------------------------------------------------------------------------------------
# Load


def wrk(url, connections, env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    # wrk needs a descriptor per connection; the soft limit may be 1024.
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s",
               "--timeout", "5s", "-s", REPORT_LUA, url]
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=SECONDS + 60)
    for line in output.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"wrk printed no result: {output.stdout}\n{output.stderr}")


def measure(server, path, connections, env_extra):
    results = []
    for _ in range(RUNS):
        result = wrk(server.base + path, connections, env_extra)
        seconds = result["duration_us"] / 1e6
        results.append({
            "rps": result["requests"] / seconds,
            "p50": result["p50"] / 1000,
            "p99": result["p99"] / 1000,
            "errors": result["connect"] + result["read"] + result["write"] + result["status"] + result["timeout"],
            "bytes": result["bytes"] / max(1, result["requests"]),
        })
    return {
        "rps": statistics.median(r["rps"] for r in results),
        "p50": statistics.median(r["p50"] for r in results),
        "p99": statistics.median(r["p99"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "bytes": statistics.median(r["bytes"] for r in results),
        "runs": [round(r["rps"]) for r in results],
    }


# ---------------------------------------------------------------------------------------------
# Scenarios


def answers(server, path):
    """Whether a peer serves `path` at all (a peer may not have every page yet)."""
    try:
        return fetch(server.base + path)[0] == 200
    except OSError:
        return False


def headers_env(*lines):
    return {"BENCH_HEADERS": "\n".join(lines)} if lines else {}


def contact_form_env(ours, listing_path):
    """A filled contact form with a valid CSRF cookie and token and a fill-time stamp old enough."""
    status, headers, body = fetch(ours.base + listing_path + "/kontakt")
    text = body.decode()
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    stamp = re.search(r'name="form_started" value="([^"]+)"', text).group(1)
    fields = {
        "csrf": csrf, "form_started": stamp, "website": "", "name": "Erika Mustermann",
        "email": "erika@example.org", "message": "Ich würde gern mithelfen. Wann passt es Ihnen?", "consent": "1",
    }
    body = urllib.parse.urlencode(fields)
    return {
        "BENCH_METHOD": "POST", "BENCH_BODY": body, "BENCH_VARY_CLIENT": "1",
        "BENCH_HEADERS": "\n".join([
            "Content-Type: application/x-www-form-urlencoded", f"Cookie: {cookie}", f"Origin: {ours.base}",
            "Sec-Fetch-Site: same-origin"]),
    }


def scenarios(detail_path):
    # (id, title, path, connections, header lines, peers)
    return [
        ("1", "Tiny fixed response (`/healthz`)", "/healthz", 64, [], ["nginx", "hummingbird"]),
        ("2a", "Static file, 2 KB (`/static/bench/2k.txt`)", "/static/bench/2k.txt", 64, [], ["nginx"]),
        ("2b", "Static CSS, 46 KB, gzip (`/static/css/site.css`)", "/static/css/site.css", 64, [GZIP], ["nginx"]),
        ("3a", "List page (`/ehrenamt`)", "/ehrenamt", 64, [], ["ours-render", "nginx", "hummingbird"]),
        ("3b", "List page, gzip", "/ehrenamt", 64, [GZIP], ["ours-render", "nginx"]),
        ("4", f"Listing detail (`{detail_path}`)", detail_path, 64, [], ["ours-render", "hummingbird"]),
        ("5", "Search (`/suche?q=kinder`)", "/suche?q=kinder", 64, [], ["hummingbird"]),
        ("6", "List page, 1,000 keep-alive connections", "/ehrenamt", 1000, [],
         ["ours-render", "nginx", "hummingbird"]),
        ("7", "Connection churn (`Connection: close`, `/healthz`)", "/healthz", 64, ["Connection: close"], ["nginx"]),
        ("8", "Write: contact message through the form handler (CSRF, bot check, outbox)", detail_path + "/kontakt",
         64, None, []),
    ]


def machine_description():
    lines = []
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s+(.*)", cpu)
        lines.append(f"- CPU: {model.group(1).strip() if model else 'unknown'}, {os.cpu_count()} cores")
    except OSError:
        pass
    lines.append(f"- Kernel: {platform.release()}")
    for name, command in [("Swift", ["swift", "--version"]), ("nginx", ["nginx", "-v"]), ("wrk", ["wrk", "-v"])]:
        try:
            out = subprocess.run(command, capture_output=True, text=True)
            text = (out.stdout + out.stderr).strip().splitlines()[0]
            lines.append(f"- {name}: {text}")
        except (OSError, IndexError):
            pass
    lines.append(f"- Server pinned to core {SERVER_CORE}, wrk (1 thread) to core {CLIENT_CORE}, loopback, "
                 f"{RUNS} runs of {SECONDS} s, medians; each server started afresh per scenario")
    return lines


SERVER_NAMES = {
    "ours": "ours", "ours-render": "ours, no page cache", "nginx": "nginx", "hummingbird": "hummingbird",
}


def format_row(name, result, ours_rps=None):
    ratio = "" if ours_rps is None or not result["rps"] else f"{ours_rps / result['rps']:.2f}"
    return (f"| {SERVER_NAMES.get(name, name)} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} | "
            f"{result['rss']:.1f} | {result.get('rss_now', 0):.1f} | {result['bytes']:,.0f} | {ratio} |")


def main():
    os.makedirs(WORK, exist_ok=True)
    build()
    root = prepare_root()
    database = seed(root, SCALE)
    has_peer = os.path.exists(PEER_BINARY)
    if not has_peer:
        log("no Hummingbird peer binary; its columns stay empty")

    ours = start_ours(root, database)
    try:
        status, _, page = fetch(ours.base + "/ehrenamt")
        detail_path = re.search(rb'href="(/ehrenamt/\d+)"', page).group(1).decode()
        docroot, list_bytes = prepare_nginx_docroot(root, ours)
    finally:
        ours.stop()
    log(f"list page {list_bytes} bytes; detail page {detail_path}")

    starters = {
        "ours": lambda: start_ours(root, database),
        "ours-render": lambda: start_ours(root, database, keep_pages=False),
        "nginx": lambda: start_nginx(docroot),
        "hummingbird": (lambda: start_peer(root, database)) if has_peer else None,
    }
    report = ["# Benchmark results", "", f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"database with demo data plus {SCALE} generated listings.", "", "## Machine", ""]
    report += machine_description()
    report += ["", "Columns: requests per second, latency p50 and p99 in ms, errors (socket errors and "
               "4xx/5xx answers over all runs), peak resident memory of the server's processes in MB (VmHWM) "
               "and their resident memory after the last run (VmRSS), "
               "bytes per response (headers included), and ours/peer for requests per second.", ""]
    summary = []
    measured = {}
    for scenario_id, title, path, connections, header_lines, peers in scenarios(detail_path):
        if ONLY and scenario_id not in ONLY:
            continue
        log(f"scenario {scenario_id}: {title}")
        results = {}
        for name in ["ours"] + peers:
            starter = starters.get(name)
            if starter is None:
                continue
            server = starter()
            try:
                if name != "ours" and header_lines is not None and not answers(server, path):
                    log(f"  {name}: does not serve {path}; skipped")
                    continue
                env = contact_form_env(server, detail_path) if header_lines is None else headers_env(*header_lines)
                if header_lines is None:
                    time.sleep(3.5)  # the bot check's minimum fill time
                result = measure(server, path, connections, env)
                result["rss"] = server.peak_rss_mb()
                result["rss_now"] = server.peak_rss_mb("VmRSS")
                results[name] = result
                log(f"  {name}: {result['rps']:,.0f} req/s (runs {result['runs']}), p99 {result['p99']:.2f} ms, "
                    f"errors {result['errors']}, peak RSS {result['rss']:.1f} MB")
            finally:
                server.stop()
        measured[scenario_id] = results
        report += [f"## {scenario_id}. {title}", "",
                   "| server | req/s | p50 ms | p99 ms | errors | peak RSS MB | RSS after MB | bytes/resp | ours/peer |",
                   "|---|---|---|---|---|---|---|---|---|"]
        for name, result in results.items():
            report.append(format_row(name, result, None if name == "ours" else results["ours"]["rps"]))
            if name != "ours":
                summary.append((scenario_id, "ours", name, ratio(results, "ours", name)))
        if "ours-render" in results and "hummingbird" in results:
            summary.append((scenario_id, "ours-render", "hummingbird", ratio(results, "ours-render", "hummingbird")))
        report.append("")
    if summary:
        report += ["## Ratios", "", "| scenario | server | peer | server/peer req/s |", "|---|---|---|---|"]
        report += [f"| {sid} | {SERVER_NAMES[mine]} | {SERVER_NAMES[peer]} | {value:.2f} |"
                   for sid, mine, peer, value in summary]
        report.append("")
    scale_rows = scale_runs(root) if SCALES else []
    report += scale_report(scale_rows)
    report += goals_report(measured, scale_rows)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as out:
        out.write("\n".join(report))
    log(f"written {os.path.relpath(OUTPUT, ROOT)}")
    return 0


def ratio(results, mine, peer):
    return results[mine]["rps"] / results[peer]["rps"] if results[peer]["rps"] else 0


def scale_runs(root):
    """List, detail and search at each scale, our server rendering every request (no page cache)."""
    rows = []
    for scale in SCALES:
        database = seed(root, scale)
        server = start_ours(root, database, keep_pages=False)
        try:
            _, _, page = fetch(server.base + "/ehrenamt")
            detail = re.search(rb'href="(/ehrenamt/\d+)"', page).group(1).decode()
            row = {"scale": scale}
            for key, path in [("list", "/ehrenamt"), ("detail", detail), ("search", "/suche?q=kinder")]:
                row[key] = measure(server, path, 64, {})
                log(f"  scale {scale} {key}: {row[key]['rps']:,.0f} req/s, p99 {row[key]['p99']:.2f} ms")
            rows.append(row)
        finally:
            server.stop()
    return rows


def scale_report(rows):
    if not rows:
        return []
    lines = ["## Scale: our server without the page cache, 64 connections", "",
             "Each page queried and rendered on every request, at each number of generated listings "
             "(plus the demo data). Requests per second, p99 in ms.", "",
             "| listings | list req/s | list p99 | detail req/s | detail p99 | search req/s | search p99 |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['scale']:,} | " + " | ".join(
            f"{row[k]['rps']:,.0f} | {row[k]['p99']:.2f}" for k in ("list", "detail", "search")) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        lines += ["", f"Slowdown from {first['scale']:,} to {last['scale']:,} listings (req/s at the smaller "
                  "over req/s at the larger): " + ", ".join(
                      f"{k} {first[k]['rps'] / last[k]['rps']:.2f}×" for k in ("list", "detail", "search")
                      if last[k]["rps"])]
    lines.append("")
    return lines


def goals_report(measured, scale_rows):
    """Issue 6's goals, each with the measured value and whether it is met."""
    lines = ["## Goals", "", "| goal | measured | met |", "|---|---|---|"]

    def add(goal, value, met):
        lines.append(f"| {goal} | {value} | {'yes' if met else 'no'} |")

    for sid, page in [("3a", "list"), ("4", "detail")]:
        results = measured.get(sid, {})
        if "hummingbird" in results:
            for mine in ("ours", "ours-render"):
                if mine in results:
                    value = ratio(results, mine, "hummingbird")
                    add(f"{page} page ({SERVER_NAMES[mine]}): ≥ 1.5× Hummingbird", f"{value:.2f}×", value >= 1.5)
        for mine in ("ours", "ours-render"):
            if mine in results:
                r = results[mine]
                add(f"{page} page ({SERVER_NAMES[mine]}): p99 < 5 ms, no errors at 64 connections",
                    f"p99 {r['p99']:.2f} ms, {r['errors']} errors", r["p99"] < 5 and r["errors"] == 0)
    for sid, what in [("1", "tiny response"), ("2a", "static 2 KB"), ("2b", "static CSS, gzip")]:
        results = measured.get(sid, {})
        if "ours" in results and "nginx" in results:
            value = ratio(results, "ours", "nginx")
            add(f"{what}: ≥ 0.5× nginx", f"{value:.2f}×", value >= 0.5)
    many, some = measured.get("6", {}), measured.get("3a", {})
    for mine in ("ours", "ours-render"):
        if mine in many and mine in some:
            r = many[mine]
            share = r["rps"] / some[mine]["rps"] if some[mine]["rps"] else 0
            add(f"1,000 connections ({SERVER_NAMES[mine]}): no errors, ≥ 0.7× own 64-connection req/s, "
                "peak RSS < 60 MB", f"{r['errors']} errors, {share:.2f}×, {r['rss']:.1f} MB",
                r["errors"] == 0 and share >= 0.7 and r["rss"] < 60)
    if len(scale_rows) > 1:
        first, last = scale_rows[0], scale_rows[-1]
        for key in ("list", "detail"):
            slowdown = first[key]["rps"] / last[key]["rps"] if last[key]["rps"] else float("inf")
            add(f"{key} page: at most 1.5× slower from {first['scale']:,} to {last['scale']:,} listings",
                f"{slowdown:.2f}×", slowdown <= 1.5)
    lines.append("")
    return lines


if __name__ == "__main__":
    sys.exit(main())
