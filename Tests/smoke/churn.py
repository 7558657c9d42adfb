"""Connection churn against the real binary: many short connections from several threads at once.

Each client takes one of five paths: connect and close at once; send a request and reset
(SO_LINGER 0) before the answer; read the whole answer of a `Connection: close` request; read part
of a keep-alive answer and close with the rest unread; or shrink its receive buffer so the server
must wait to write, then reset. Every client uses a fresh socket, so descriptor numbers are closed
and reused at full speed. The server must stay up and answer every request that was read to the end
with 200; the caller then checks it still serves and stops cleanly. Bounded: a fixed number of
connections, each with a 10 s timeout.
"""
import socket
import struct
import threading

PATHS = ["/", "/ehrenamt", "/spenden", "/veranstaltungen"]
RESET = struct.pack("ii", 1, 0)


def one_client(port, mode, path):
    """Runs one connection; returns an error text or None."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    try:
        if mode == 4:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        sock.connect(("127.0.0.1", port))
        if mode == 0:
            return None
        keep = "keep-alive" if mode in (3, 4) else "close"
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: {keep}\r\n\r\n".encode())
        if mode == 1:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
            return None
        data = sock.recv(4096)
        if mode == 2:
            while True:
                more = sock.recv(65536)
                if not more:
                    break
                data += more
        if not data.startswith(b"HTTP/1.1 200 "):
            return f"{path}: {data[:40]!r}"
        if mode == 4:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        return None
    except OSError as error:
        return f"{path} (mode {mode}): {error}"
    finally:
        sock.close()


def churn(port, threads=12, per_thread=200):
    """Returns (connections made, failures)."""
    failures = []
    lock = threading.Lock()

    def work(thread):
        for index in range(per_thread):
            error = one_client(port, (thread + index) % 5, PATHS[(thread * 7 + index) % len(PATHS)])
            if error:
                with lock:
                    failures.append("churn: " + error)

    workers = [threading.Thread(target=work, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return threads * per_thread, failures
