"""The server under test: a fresh demo database in a temporary folder and `boerse serve` on a free
loopback port, stopped with SIGTERM at the end whatever happens."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

STARTUP_SECONDS = 30
STOP_SECONDS = 10
# Top-level folders the server does not read (everything else is copied: Templates, Public, Config, …).
NOT_READ_BY_SERVER = {"Sources", "Tests", "Fuzz", "Benchmarks", "docs", "data"}


class Server:
    def __init__(self, binary, root):
        self.binary = os.path.abspath(binary)
        self.root = os.path.abspath(root)
        self.workdir = tempfile.mkdtemp(prefix="boerse-e2e-")
        self.database = os.path.join(self.workdir, "e2e.sqlite")
        self.log_path = os.path.join(self.workdir, "server.log")
        self.process = None
        self.port = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def _common(self):
        return ["--root", self.root, "--database", self.database]

    def _copy_root(self):
        """A copy of the folders the server reads (about 2 MB), with a feedback address in the
        accessibility statement's configuration: the demo configuration leaves it empty, and then the
        feedback form is not shown."""
        root = os.path.join(self.workdir, "root")
        for folder in sorted(os.listdir(self.root)):
            source = os.path.join(self.root, folder)
            if os.path.isdir(source) and not folder.startswith(".") and folder not in NOT_READ_BY_SERVER:
                shutil.copytree(source, os.path.join(root, folder))
        path = os.path.join(root, "Config", "lippe.json")
        with open(path, encoding="utf-8") as file:
            config = json.load(file)
        statement = config.setdefault("accessibility", {})
        statement["feedbackEmail"] = statement.get("feedbackEmail") or "barrierefreiheit@kreis.example"
        statement["feedbackPhone"] = statement.get("feedbackPhone") or "05231 62-0"
        with open(path, "w", encoding="utf-8") as file:
            json.dump(config, file, ensure_ascii=False, indent=2)
        self.root = root

    def start(self):
        self._copy_root()
        # `seed --demo` migrates, loads the demo content and creates the demo accounts.
        subprocess.run([self.binary, "seed", "--demo", *self._common()], check=True, stdout=subprocess.DEVNULL,
                       timeout=120)
        # The access log goes to a file: a pipe nobody reads would fill up and block the server.
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", *self._common(), "--host", "127.0.0.1", "--port", "0"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.time() + STARTUP_SECONDS
        while time.time() < deadline and self.process.poll() is None:
            time.sleep(0.1)
            with open(self.log_path, encoding="utf-8", errors="replace") as text:
                match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text.read())
            if match:
                self.port = int(match.group(1))
                return
        raise RuntimeError("the server did not report its port; log: " + self.log_tail())

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as text:
                return "".join(text.readlines()[-lines:])
        except OSError:
            return ""

    def mail(self, *arguments):
        """Output of `boerse mail …` on the same database (the outbox: mail never leaves the machine)."""
        result = subprocess.run([self.binary, "mail", *arguments, *self._common()], check=True,
                                capture_output=True, text=True, timeout=30)
        return result.stdout

    def stop(self):
        """SIGTERM and wait; returns the exit status (None when it had to be killed)."""
        if self.process is None:
            return None
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
