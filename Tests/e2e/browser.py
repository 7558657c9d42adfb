"""Headless Chromium through selenium, axe-core, and raw HTTP with the browser's cookies (the HTML as
served, which `page_source` is not: that is the DOM after parsing)."""
import base64
import http.client
import json
import re
import time
import urllib.parse
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1280, 1000
# The WCAG 2.0 and 2.1 A and AA rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice rules for what the issue asks beyond the WCAG tags: headings in order, landmarks,
# one main heading, no positive tabindex, no empty headings.
AXE_EXTRA_RULES = [
    "heading-order", "page-has-heading-one", "empty-heading", "region", "landmark-one-main",
    "landmark-unique", "landmark-no-duplicate-main", "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo", "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level", "landmark-complementary-is-top-level", "tabindex", "skip-link",
    "empty-table-header", "label-title-only", "image-redundant-alt",
]
FORM_FILL_SECONDS = 3.2  # the server's bot check refuses forms sent within 3 s of being shown

AXE_RUN = """
const done = arguments[arguments.length - 1];
const options = arguments[0];
axe.run(document, options).then(result => done({
  violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || '').slice(0, 300)}))
  })),
  incomplete: result.incomplete.map(v => ({id: v.id, tags: v.tags, count: v.nodes.length})),
  passes: result.passes.length
}), error => done({error: String(error)}));
"""

# Facts axe does not check: required fields marked in text, errors linked to their fields, an error
# summary whose links land on fields, no generic link texts.
STRUCTURE_CHECKS = """
const problems = [];
const text = el => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
const labelOf = el => {
  if (el.id) { const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]'); if (l) return l; }
  return el.closest('label');
};
const controls = document.querySelectorAll('main input:not([type=hidden]), main select, main textarea');
for (const el of controls) {
  if (el.closest('[aria-hidden=true]')) continue;
  const required = el.getAttribute('aria-required') === 'true' || el.required;
  if (required) {
    const label = labelOf(el);
    if (!label || !label.querySelector('.field__required')) {
      problems.push('required field without the required marker in its label: ' + (el.id || el.name));
    }
  }
  if (el.getAttribute('aria-invalid') === 'true') {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const linked = ids.map(id => document.getElementById(id)).filter(Boolean);
    if (!linked.some(node => node.classList.contains('field__error'))) {
      problems.push('invalid field not described by its error message: ' + (el.id || el.name));
    }
  }
}
for (const group of document.querySelectorAll('main fieldset')) {
  const invalid = group.querySelector('.field__error');
  if (invalid && group.classList.contains('field__group')) {
    const ids = (group.getAttribute('aria-describedby') || '').split(/\\s+/);
    if (!ids.includes(invalid.id)) problems.push('group error not linked to its fieldset: ' + invalid.id);
  }
  if (!group.querySelector(':scope > legend')) problems.push('fieldset without legend');
}
// Radio buttons and sets of checkboxes sharing a name are grouped in a fieldset with a legend.
const names = {};
for (const el of document.querySelectorAll('main input[type=radio], main input[type=checkbox]')) {
  names[el.name] = (names[el.name] || 0) + 1;
}
for (const el of document.querySelectorAll('main input[type=radio], main input[type=checkbox]')) {
  if ((el.type === 'radio' || names[el.name] > 1) && !el.closest('fieldset')) {
    problems.push('choice outside a fieldset: ' + (el.id || el.name));
  }
}
const summary = document.querySelector('.error-summary');
const errors = document.querySelectorAll('main .field__error');
if (errors.length && !summary) problems.push('field errors shown without an error summary');
if (summary) {
  if (summary.getAttribute('role') !== 'alert') problems.push('error summary is not announced (role=alert)');
  for (const link of summary.querySelectorAll('a[href^="#"]')) {
    const target = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!target) problems.push('error summary link to a missing element: ' + link.getAttribute('href'));
  }
}
const generic = /^(hier|mehr|weiter|link|klicken|hier klicken|mehr erfahren|details|click here|more|read more)$/i;
for (const link of document.querySelectorAll('a[href]')) {
  const name = (link.getAttribute('aria-label') || text(link)).toLowerCase();
  if (generic.test(name)) problems.push('generic link text: ' + name);
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.getAttribute('src'));
}
if (!document.documentElement.getAttribute('lang')) problems.push('html without lang');
return problems;
"""


def make_driver():
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}",
                 "--lang=de-DE", "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de",
                                              "credentials_enable_service": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


class Browser:
    def __init__(self, driver, base, axe_source):
        self.driver = driver
        self.base = base
        self.axe_source = axe_source
        self.axed_types = set()  # the page types (see page_type) axe has run on

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def open(self, path):
        self.driver.get(self.url(path))
        self.mark()

    @property
    def path(self):
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + ("?" + parts.query if parts.query else "")

    # A navigation replaces `window`, so a missing mark tells that a new document has loaded.
    def mark(self):
        token = uuid.uuid4().hex
        self.driver.execute_script("window.__e2eMark = arguments[0];", token)
        return token

    def wait_for_new_document(self, seconds=15):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                state = self.driver.execute_script(
                    "return [typeof window.__e2eMark === 'undefined', document.readyState];")
                if state[0] and state[1] == "complete":
                    self.mark()
                    return True
            except Exception:  # the document is being replaced
                pass
            time.sleep(0.05)
        return False

    def axe(self):
        self.axed_types.add(page_type(self.path))
        if not self.driver.execute_script("return typeof window.axe !== 'undefined';"):
            self.driver.execute_script(self.axe_source)
        # One run over the WCAG tags and the best-practice rules; only the chosen ones count.
        result = self.driver.execute_async_script(AXE_RUN, {
            "runOnly": {"type": "tag", "values": AXE_TAGS + ["best-practice"]}, "resultTypes": ["violations"]})
        if "error" in result:
            raise RuntimeError("axe failed: " + result["error"])
        counted = [v for v in result["violations"] if set(v["tags"]) & set(AXE_TAGS) or v["id"] in AXE_EXTRA_RULES]
        incomplete = [v for v in result["incomplete"] if set(v["tags"]) & set(AXE_TAGS)]
        return counted, incomplete

    def structure_problems(self):
        return self.driver.execute_script(STRUCTURE_CHECKS)

    def cookies(self):
        return {cookie["name"]: cookie["value"] for cookie in self.driver.get_cookies()}

    def raw(self, method, path, body=None, content_type=None):
        """One request with the browser's cookies, no redirects followed: (status, headers, body)."""
        headers = {"Accept-Language": "de-DE,de", "Accept": "text/html"}
        cookies = self.cookies()
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Origin"] = self.base
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    # Forms ---------------------------------------------------------------------------------------
    def form_snapshot(self, form, submitter=None):
        """What the browser would send for `form` with `submitter` right now: entries, encoding, target."""
        return self.driver.execute_script("""
            const form = arguments[0];
            const entries = [];
            for (const [name, value] of new FormData(form, arguments[1] || null)) {
              entries.push(value instanceof File ? [name, null, value.name, value.type] : [name, value]);
            }
            return {entries: entries, enctype: form.enctype, action: form.getAttribute('action')};
        """, form, submitter)

    def replay(self, snapshot):
        """Sends a form snapshot again over raw HTTP with the session's cookies (for the served HTML of
        an answer to a POST). Only used for answers that store nothing (forms with errors)."""
        if snapshot["enctype"] == "multipart/form-data":
            boundary = "e2e" + uuid.uuid4().hex
            chunks = []
            for entry in snapshot["entries"]:
                name = entry[0]
                if entry[1] is None:
                    chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                                  f'filename="{entry[2]}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                                  .encode())
                    chunks.append(b"\r\n")
                else:
                    chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                                  .encode() + entry[1].encode() + b"\r\n")
            chunks.append(f"--{boundary}--\r\n".encode())
            body, content_type = b"".join(chunks), f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode([(entry[0], entry[1]) for entry in snapshot["entries"]]).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.raw("POST", snapshot["action"], body, content_type)

    def main_form(self):
        forms = self.driver.find_elements(By.CSS_SELECTOR, "main form.form")
        return forms[0] if forms else self.driver.find_element(By.CSS_SELECTOR, "main form")

    def login(self, email, password):
        """Setup step (not a keyboard journey): types into the login form and sends it with Enter."""
        self.driver.delete_all_cookies()
        self.open("/anmelden")
        shown = time.time()
        self.driver.find_element(By.ID, "f-email").send_keys(email)
        field = self.driver.find_element(By.ID, "f-password")
        field.send_keys(password)
        time.sleep(max(0.0, FORM_FILL_SECONDS - (time.time() - shown)))
        field.send_keys(Keys.ENTER)
        self.wait_for_new_document()
        if "/anmelden" in self.path:
            raise RuntimeError(f"login as {email} failed")

    def logout(self):
        self.driver.delete_all_cookies()

    def screenshot(self, path, width, max_height=2400):
        """The page at `width` CSS pixels, from the top down to at most `max_height` pixels."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        try:
            height = self.driver.execute_script("return document.documentElement.scrollHeight;")
            height = min(int(height), max_height)
            data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        with open(path, "wb") as file:
            file.write(base64.b64decode(data["data"]))


def page_type(path):
    """A path as a page type: ids, slugs and tokens replaced, the language prefix and query dropped.
    None for files, images and links that are not pages."""
    path = path.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/") or path.startswith(("//", "/static/", "/bilder/")):
        return None
    segments = [segment for segment in path.split("/") if segment]
    if segments and re.fullmatch(r"[a-z]{2}", segments[0]):
        segments = segments[1:]  # a language prefix (/en/…): the same page type
    kinds = []
    for index, segment in enumerate(segments):
        if segment.isdigit():
            kinds.append("{id}")
        elif index == 1 and segments[0] == "gemeinden":
            kinds.append("{slug}")
        elif len(segment) >= 20:
            kinds.append("{token}")
        else:
            kinds.append(segment)
    return "/" + "/".join(kinds)


def describe(violation):
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"    at {node['target']}: {node['html']}")
        if node["summary"]:
            lines.append("      " + node["summary"].replace("\n", " | "))
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def to_json(value):
    return json.dumps(value, ensure_ascii=False)
