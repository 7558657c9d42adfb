#!/usr/bin/env python3
"""End-to-end check of the real binary over a real socket.

Starts `boerse serve` on a free loopback port with a freshly seeded demo database and a staff
account made with `boerse user add`, crawls every internal link from / (no 5xx, no broken link),
checks a few headers, logs in and out over the socket (cookies, CSRF, per-route body limits), lets
twelve threads open and drop 2,400 short connections at once (churn.py) and checks the server still
serves, then sends SIGTERM and expects a clean exit (status 0) within 10 seconds. Standard library
only.
"""
import gzip
import html.parser
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from churn import churn

MAX_PAGES = 6000
HEADER_CHECKS = 4
ACCOUNT_CHECKS = 7
CHURN_CHECKS = 2  # no failed connection; still serving afterwards
STAFF_EMAIL = "smoke-staff@example.org"
STAFF_PASSWORD = "Rauchmelder pruefen jeden Montag"


class LinkParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


_connections = {}


def fetch(url, headers=None, redirects=5):
    """GET over one keep-alive connection per server, as a browser does; follows redirects."""
    import http.client
    parts = urllib.parse.urlsplit(url)
    key = (parts.hostname, parts.port)
    target = parts.path + ("?" + parts.query if parts.query else "")
    for attempt in range(2):
        connection = _connections.get(key)
        if connection is None:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            _connections[key] = connection
        try:
            connection.request("GET", target, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            break
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server may end an idle keep-alive connection; a new one is tried once.
            connection.close()
            _connections.pop(key, None)
            if attempt == 1:
                raise
    status, response_headers = response.status, dict(response.getheaders())
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
        _connections.pop(key, None)
    if status in (301, 302, 303, 307, 308) and redirects > 0 and "Location" in response_headers:
        return fetch(urllib.parse.urljoin(url, response_headers["Location"]), headers, redirects - 1)
    return status, response_headers, body


def main():
    binary, root = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="boerse-smoke-")
    database = os.path.join(workdir, "smoke.sqlite")
    subprocess.run([binary, "seed", "--demo", "--root", root, "--database", database], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "add", "--role", "staff", "--email", STAFF_EMAIL, "--name", "Smoke Staff",
                    "--root", root, "--database", database], input=(STAFF_PASSWORD + "\n").encode(), check=True,
                   stdout=subprocess.DEVNULL)
    # The access log goes to a file: a pipe nobody reads would fill up and block the server.
    log_path = os.path.join(workdir, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen(
        [binary, "serve", "--root", root, "--database", database, "--host", "127.0.0.1", "--port", "0"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None and server.poll() is None:
            time.sleep(0.1)
            with open(log_path) as text:
                match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text.read())
            if match:
                port = int(match.group(1))
        if port is None:
            print("smoke: server did not report its port")
            return 1
        base = f"http://127.0.0.1:{port}"
        failures, pages = crawl(base)
        failures += check_headers(base)
        failures += check_account_flow(base, port)
        connections, churn_failures = churn(port)
        failures += churn_failures[:10]
        if server.poll() is not None:
            failures.append(f"server died during connection churn (exit status {server.returncode})")
        else:
            _connections.clear()
            status, _, _ = fetch(base + "/")
            if status != 200:
                failures.append(f"after connection churn / answered {status}")
        print(f"smoke: {connections} churned connections, {len(churn_failures)} failed")
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            failures.append("server did not stop within 10 s of SIGTERM")
            server.kill()
            code = None
        if code not in (0, None):
            failures.append(f"server exited with status {code} after SIGTERM")
        for failure in failures[:30]:
            print("smoke: FAIL", failure)
        print(f"smoke: crawled {pages} URLs over a real socket")
        checks = pages + HEADER_CHECKS + ACCOUNT_CHECKS + CHURN_CHECKS + 1  # URLs, header and account checks, shutdown
        print(f"smoke: {checks - len(failures)} passed, {len(failures)} failed")
        return 1 if failures else 0
    finally:
        if server.poll() is None:
            server.kill()


def crawl(base):
    queue, seen, failures, pages = ["/"], {"/"}, [], 0
    while queue and pages < MAX_PAGES:
        path = queue.pop(0)
        status, headers, body = fetch(base + path)
        pages += 1
        if status != 200:
            failures.append(f"{path} -> {status}")
            continue
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        parser = LinkParser()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            if not link.startswith("/") or link.startswith("//"):
                continue
            target = link.split("#", 1)[0]
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    if queue:
        failures.append(f"crawl bound reached with {len(queue)} URLs left")
    return failures, pages


def check_headers(base):
    failures = []
    status, headers, body = fetch(base + "/ehrenamt", {"Accept-Encoding": "gzip"})
    if headers.get("Content-Encoding") != "gzip":
        failures.append("/ehrenamt not gzipped although the client accepts gzip")
    elif b"<html" not in gzip.decompress(body):
        failures.append("/ehrenamt gzip body does not decompress to HTML")
    for name in ("Date", "Content-Length", "X-Request-Id", "Content-Security-Policy"):
        if name not in headers:
            failures.append(f"/ehrenamt lacks {name}")
    status, _, body = fetch(base + "/nicht-vorhanden")
    if status != 404 or "Seite nicht gefunden" not in body.decode("utf-8"):
        failures.append("unknown path is not the German 404 page")
    status, _, _ = fetch(base + "/static/..%2f..%2fPackage.swift")
    if status not in (400, 404):
        failures.append(f"traversal attempt answered {status}")
    return failures


def send(base, method, path, cookies=None, body=None, content_type=None, origin=True):
    """One request without following redirects; returns status, headers (lists) and body."""
    import http.client
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        if origin:
            headers["Origin"] = base
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def set_cookies(headers):
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            cookies[key] = cookie
    return cookies


def check_account_flow(base, port):
    """Login and logout as a browser does it, over the socket: the cookie attributes, the CSRF token,
    the staff page, and the body limits per route class."""
    failures = []
    status, headers, body = send(base, "GET", "/anmelden")
    cookies = set_cookies(headers)
    token = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', body)
    if status != 200 or "__Host-csrf" not in cookies or not token:
        return ["/anmelden: no form token or token cookie"]
    form = urllib.parse.urlencode({"csrf": token.group(1).decode(), "email": STAFF_EMAIL,
                                   "password": STAFF_PASSWORD}).encode()
    status, _, _ = send(base, "POST", "/anmelden", cookies, urllib.parse.urlencode(
        {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}).encode())
    if status != 403:
        failures.append(f"login without CSRF token answered {status}, not 403")
    status, headers, _ = send(base, "POST", "/anmelden", cookies, form)
    session = [value for name, value in headers if name.lower() == "set-cookie" and value.startswith("__Host-session=")]
    if status != 303 or not session:
        failures.append(f"login answered {status} without a session cookie")
        return failures
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=Lax"):
        if attribute not in session[0]:
            failures.append(f"session cookie lacks {attribute}")
    cookies.update(set_cookies(headers))
    status, _, body = send(base, "GET", "/verwaltung", cookies)
    if status != 200 or b"Angemeldet als Smoke Staff" not in body:
        failures.append(f"/verwaltung as staff answered {status}")
    logout = re.search(rb'action="/abmelden"><input type="hidden" name="csrf" value="([A-Za-z0-9_-]{43})"', body)
    # A form body over 1 MiB is refused by the server before any handler; an upload path takes it.
    big = b"x=" + b"a" * (1024 * 1024 + 10)
    status, _, _ = send(base, "POST", "/anmelden", cookies, big)
    if status != 413:
        failures.append(f"1 MiB + 10 bytes to a form path answered {status}, not 413")
    boundary = "smokeboundary42"
    upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n"
              f"Content-Type: image/png\r\n\r\n").encode() + b"\x89PNG" + b"a" * (1024 * 1024 + 10) + \
        f"\r\n--{boundary}--\r\n".encode()
    status, _, _ = send(base, "POST", "/registrieren/organisation", cookies, upload,
                        f"multipart/form-data; boundary={boundary}")
    if status != 403:
        failures.append(f"the same body to an upload path answered {status}, not 403 (token missing)")
    if not logout:
        failures.append("no logout form on the staff page")
        return failures
    status, _, _ = send(base, "POST", "/abmelden", cookies, urllib.parse.urlencode(
        {"csrf": logout.group(1).decode()}).encode())
    status_after, headers_after, _ = send(base, "GET", "/verwaltung", cookies)
    if status != 303 or status_after != 303:
        failures.append(f"logout answered {status}; /verwaltung afterwards {status_after}, not a login redirect")
    return failures


if __name__ == "__main__":
    sys.exit(main())
