#!/usr/bin/env python3
"""Writes the seed corpus Fuzz/corpus/ (checked in; rerun after editing SEEDS).

Each seed is one connection's bytes: a request, a pipeline, or a hostile input from issue 3.
File names say what the seed is about, so a crash in `-runs=0` over the corpus is easy to place.
"""
import os
import shutil

H = b"Host: example.org\r\n"

SEEDS = {
    # Valid requests
    "get-simple": b"GET / HTTP/1.1\r\n" + H + b"\r\n",
    "get-query-fields": b"GET /listen?seite=2&ort=Detmold HTTP/1.1\r\n" + H
    + b"Accept: text/html\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: fuzz/1.0\r\nCookie: a=b; c=d\r\n\r\n",
    "head": b"HEAD /static/css/site.css HTTP/1.1\r\n" + H + b"If-None-Match: \"abc\"\r\n\r\n",
    "http10-keepalive": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a HTTP/1.0\r\n\r\n",
    "post-form": b"POST /angebote/neu HTTP/1.1\r\n" + H
    + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 28\r\n\r\ntitel=Hilfe+beim+Umzug&a=%C3",
    "post-duplicate-cl-same": b"POST /x HTTP/1.1\r\n" + H + b"Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    "post-cl-leading-zeros": b"POST /x HTTP/1.1\r\n" + H + b"Content-Length: 0000000000000000000003\r\n\r\nabc",
    "pipeline-keepalive": b"GET /1 HTTP/1.1\r\n" + H + b"\r\nPOST /2 HTTP/1.1\r\n" + H
    + b"Content-Length: 5\r\n\r\nhelloGET /3 HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n",
    "leading-empty-lines": b"\r\n\r\nGET / HTTP/1.1\r\n" + H + b"\r\n",
    "connection-tokens": b"GET / HTTP/1.1\r\n" + H + b"Connection: Upgrade, close\r\nUpgrade: websocket\r\n\r\n",
    "whitespace-around-value": b"GET / HTTP/1.1\r\nHost:\t example.org \t\r\nX-Empty:\r\n\r\n",
    "obs-text-value": b"GET / HTTP/1.1\r\n" + H + b"X-Name: M\xc3\xbcller \xff\r\n\r\n",
    # Chunked bodies
    "chunked-simple": b"POST /upload/file HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    "chunked-ext-trailer": b"POST /upload/%2e%2E/x HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n4;name=value;q=\"quoted\"\r\nWiki\r\nA\r\n0123456789\r\n0;last\r\nX-Checksum: 42\r\nX-Other: y\r\n\r\nGET /next HTTP/1.1\r\n" + H + b"\r\n",
    "chunked-uppercase-hex": b"POST /u HTTP/1.1\r\n" + H + b"Transfer-Encoding: Chunked\r\n\r\n1a\r\n" + b"x" * 26 + b"\r\n0\r\n\r\n",
    "chunked-missing-last": b"POST /u HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    "chunked-no-crlf": b"POST /u HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabcX0\r\n\r\n",
    "chunked-size-overflow": b"POST /u HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFF1\r\na\r\n0\r\n\r\n",
    "te-gzip-chunked": b"POST /u HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "te-http10": b"POST /u HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    # Expect
    "expect-100": b"POST /u HTTP/1.1\r\n" + H + b"Expect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
    "expect-100-chunked": b"PUT /u HTTP/1.1\r\n" + H + b"Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    "expect-other": b"POST /u HTTP/1.1\r\n" + H + b"Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx",
    # Request targets
    "absolute-form": b"GET http://example.org:8080/pfad?x=1 HTTP/1.1\r\nHost: other\r\n\r\n",
    "absolute-form-query-only": b"GET HTTPS://Example.org?x HTTP/1.1\r\n" + H + b"\r\n",
    "absolute-form-userinfo": b"GET http://user@example.org/ HTTP/1.1\r\n" + H + b"\r\n",
    "options-asterisk": b"OPTIONS * HTTP/1.1\r\n" + H + b"\r\n",
    "get-asterisk": b"GET * HTTP/1.1\r\n" + H + b"\r\n",
    "percent-edge": b"GET /a%20b/%2e%2E/%C3%A4%zz/%/%0/%00/%C0%AF/%ED%A0%80?q=%2B+x%25 HTTP/1.1\r\n" + H + b"\r\n",
    "unknown-method": b"BREW /pot HTTP/1.1\r\n" + H + b"\r\n",
    # Bad request lines and versions
    "bad-method-token": b"G(T / HTTP/1.1\r\n" + H + b"\r\n",
    "double-space": b"GET  / HTTP/1.1\r\n" + H + b"\r\n",
    "version-http2": b"GET / HTTP/2.0\r\n" + H + b"\r\n",
    "version-http12": b"GET / HTTP/1.2\r\n" + H + b"\r\n",
    "version-lowercase": b"GET / http/1.1\r\n" + H + b"\r\n",
    "http2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00",
    "http09": b"GET /\r\n",
    "target-control-char": b"GET /a\x01b HTTP/1.1\r\n" + H + b"\r\n",
    # Header syntax
    "obs-fold": b"GET / HTTP/1.1\r\n" + H + b"X-Folded: a\r\n  b\r\n\r\n",
    "space-before-colon": b"GET / HTTP/1.1\r\nHost : example.org\r\n\r\n",
    "no-colon": b"GET / HTTP/1.1\r\n" + H + b"NoColonHere\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\n" + H + b"\n",
    "bare-cr-in-value": b"GET / HTTP/1.1\r\n" + H + b"X-A: a\rb\r\n\r\n",
    "nul-in-value": b"GET / HTTP/1.1\r\n" + H + b"X-A: a\x00b\r\n\r\n",
    "nul-in-name": b"GET / HTTP/1.1\r\n" + H + b"X-\x00A: ab\r\n\r\n",
    "no-host": b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
    "two-hosts": b"GET / HTTP/1.1\r\n" + H + b"Host: evil.example\r\n\r\n",
    # Content-Length
    "cl-huge": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 123456789012345678901234567890\r\n\r\n",
    "cl-signed": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: +5\r\n\r\nhello",
    "cl-conflict": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "cl-list-conflict": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5, 6\r\n\r\nhello!",
    "cl-over-limit": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1048577\r\n\r\nabc",
    # Smuggling
    "smuggle-cl-te": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: example.org\r\n\r\n",
    "smuggle-te-cl": b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    "smuggle-te-space": b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n",
    # Limits
    "many-fields": b"GET / HTTP/1.1\r\n" + H + b"".join(b"X-F%d: %d\r\n" % (i, i) for i in range(12)) + b"\r\n",
    "long-target": b"GET /" + b"a" * 200 + b" HTTP/1.1\r\n" + H + b"\r\n",
    # Found by this fuzzer in the parser before issue 3's rewrite (kept as seeds, see docs/FUZZING.md)
    "found-long-line-bare-lf": b"GET / HTTP/1.1\r\n" + H + b"X-Long: " + b"v" * 80 + b"\n\r\n",
    "found-http12-no-host": b"GET / HTTP/1.2\r\nHostA: example.org\r\n\r\n",
    "long-field": b"GET / HTTP/1.1\r\n" + H + b"X-Long: " + b"v" * 300 + b"\r\n\r\n",
}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "corpus")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds written to {out}")
