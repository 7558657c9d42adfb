"""Every page type: axe (WCAG 2.0/2.1 A and AA plus the best-practice rules for headings and
landmarks), the suite's own structure checks, and the HTML as served saved for the Nu Html Checker."""
import os
import re
import time
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import browser as browser_module
from browser import page_type

PASSWORD = "Ehrenamt macht Freude 2026"  # the demo accounts' password (Sources/Web/Jobs/DemoAccounts.swift)
CLUB_ADMIN = "verein@demo.example"
RESIDENT = "erika@demo.example"
STAFF = "moderation@demo.example"
ADMIN = "admin@demo.example"


class PageChecker:
    def __init__(self, browser, report, html_dir):
        self.browser = browser
        self.report = report
        self.html_dir = html_dir
        self.saved = {}  # file name -> page title, for the validator's report
        self.count = 0
        self.visited = set()  # page types (path patterns) checked
        self.linked = {}  # page type -> a page that links to it
        self.pending = []  # forms shown in their own tabs, to be sent with errors at flush()
        self.main_handle = browser.driver.current_window_handle

    # One page ----------------------------------------------------------------------------------
    def _save(self, title, body):
        for link in re.findall(rb'<a [^>]*href="(/[^"]*)"', body):
            kind = page_type(link.decode("utf-8", "replace"))
            if kind:
                self.linked.setdefault(kind, title)
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        name = f"{self.count:03d}-{slug}.html"
        with open(os.path.join(self.html_dir, name), "wb") as file:
            file.write(body)
        self.saved[name] = title

    def _check_loaded(self, title, expected_status, served_status, served_body):
        problems = []
        if served_status != expected_status:
            problems.append(f"served with status {served_status}, expected {expected_status}")
        violations, incomplete = self.browser.axe()
        for violation in violations:
            problems.append(browser_module.describe(violation) + f"\n    page: {self.browser.path}")
        for item in incomplete:
            self.report.warn("axe", title, f"needs review: {item['id']} ({item['count']} elements)")
        for problem in self.browser.structure_problems():
            problems.append(f"structure: {problem} (page: {self.browser.path})")
        if served_body is not None:
            self._save(title, served_body)
        self.report.check("page", f"{title} — {self.browser.path}", problems)
        return not problems

    def visit(self, title, path, status=200, optional=False):
        try:
            return self._visit(title, path, status, optional)
        except Exception as error:
            self.report.check("page", f"{title} — {path}", [short_error(error)])
            return False

    def form(self, title, path, **options):
        """Opens the form in a tab of its own and checks it as shown. The answer with errors is checked
        at the next flush(): the forms of one batch wait out the bot check's 3 s together."""
        try:
            pending = self._open_form(title, path, **options)
            if pending:
                self.pending.append(pending)
        except Exception as error:
            self.report.check("page", f"{title} (Formular) — {path}", [short_error(error)])
        finally:
            self._back_to_main()

    def flush(self):
        """Sends every pending form with its mistakes and checks the answers."""
        driver = self.browser.driver
        for item in self.pending:
            try:
                driver.switch_to.window(item["handle"])
                self._send_form(item)
            except Exception as error:
                self.report.check("page", f"{item['title']} (mit Fehlern) — {item['path']}", [short_error(error)])
            finally:
                driver.switch_to.window(item["handle"])
                driver.close()
                self._back_to_main()
        self.pending = []

    def _back_to_main(self):
        self.browser.driver.switch_to.window(self.main_handle)

    def _visit(self, title, path, status=200, optional=False):
        served_status, _, body = self.browser.raw("GET", path)
        if optional and served_status == 404:
            self.report.warn("page", title, f"{path} does not exist in this build: not checked")
            return True
        self.browser.open(path)
        self.visited.add(page_type(path))
        return self._check_loaded(title, status, served_status, body)

    def _open_form(self, title, path, fill=None, form=None, button="button[type=submit]", errors_status=422,
                   check_fresh=True, optional=False):
        if optional and self.browser.raw("GET", path)[0] == 404:
            self.report.warn("page", title, f"{path} does not exist in this build: not checked")
            return None
        driver = self.browser.driver
        driver.switch_to.new_window("tab")
        self.browser.open(path)
        shown = time.time()
        self.visited.add(page_type(path))
        if check_fresh:
            served_status, _, body = self.browser.raw("GET", path)
            self._check_loaded(title, 200, served_status, body)
        if not driver.find_elements(By.CSS_SELECTOR, form or "main form"):
            self.report.warn("page", title, f"{path} shows no form in this configuration: errors not checked")
            driver.close()
            self._back_to_main()
            return None
        return {"handle": driver.current_window_handle, "shown": shown, "title": title, "path": path,
                "fill": fill, "form": form, "button": button, "status": errors_status}

    def _send_form(self, item):
        """The pending form sent with `fill` applied (required fields left empty or wrong): the answer must
        show the error summary and marked fields, and pass the same checks as any page."""
        driver = self.browser.driver
        element = driver.find_element(By.CSS_SELECTOR, item["form"]) if item["form"] else self.browser.main_form()
        if item["fill"]:
            item["fill"](driver)
        submitter = element.find_element(By.CSS_SELECTOR, item["button"])
        snapshot = self.browser.form_snapshot(element, submitter)
        time.sleep(max(0.0, browser_module.FORM_FILL_SECONDS - (time.time() - item["shown"])))
        self.browser.mark()
        submitter.send_keys(Keys.ENTER)
        self.browser.wait_for_new_document()
        shown_errors = driver.execute_script("return !!document.querySelector('.error-summary');")
        served_status, _, body = self.browser.replay(snapshot)
        title = item["title"] + " (mit Fehlern)"
        if not shown_errors:
            self.report.check("page", title, [f"no error summary after sending the form ({self.browser.path})"])
            return
        self._check_loaded(title, item["status"], served_status, body)


def short_error(error):
    """An exception in one line (selenium's messages carry a long stack of addresses)."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def first_link(browser, path, pattern):
    status, _, body = browser.raw("GET", path)
    match = re.search(pattern, body.decode("utf-8"))
    if not match:
        raise RuntimeError(f"no link matching {pattern} on {path} (status {status})")
    return match.group(1) if match.groups() else match.group(0)


def type_into(element_id, text):
    def fill(driver):
        driver.find_element(By.ID, element_id).send_keys(text)
    return fill


def clear(element_id):
    def fill(driver):
        driver.find_element(By.ID, element_id).clear()
    return fill


def public_pages(checker, b):
    need = first_link(b, "/ehrenamt?gemeinde=detmold", r'href="(/ehrenamt/\d+)"')
    offer = first_link(b, "/mithelfen", r'href="(/mithelfen/\d+)"')
    donation_offer = first_link(b, "/spenden?art=angebote", r'href="(/spenden/\d+)"')
    donation_need = first_link(b, "/spenden?art=gesuche", r'href="(/spenden/\d+)"')
    event = first_link(b, "/veranstaltungen", r'href="(/veranstaltungen/\d+)"')
    organisation = first_link(b, "/organisationen", r'href="(/organisationen/\d+)"')
    topic = first_link(b, "/ehrenamt", r'name="thema" value="([a-z0-9-]+)"')

    checker.visit("Startseite", "/")
    checker.visit("Ehrenamt, gefiltert nach Gemeinde", "/ehrenamt?gemeinde=detmold&gemeinde=lemgo")
    checker.visit("Ehrenamt, gefiltert nach Gemeinde und Thema", f"/ehrenamt?gemeinde=detmold&thema={topic}")
    checker.visit("Ehrenamt, Seite 2", "/ehrenamt?seite=2")
    checker.visit("Ehrenamt, keine Treffer", "/ehrenamt?gemeinde=schlangen&thema=feuerwehr&thema=kirche")
    checker.visit("Mithelfen, gefiltert", "/mithelfen?gemeinde=detmold")
    checker.visit("Spenden: Angebote, gefiltert", "/spenden?art=angebote&gemeinde=detmold")
    checker.visit("Spenden: Gesuche, gefiltert", "/spenden?art=gesuche&gemeinde=lemgo")
    checker.visit("Veranstaltungen, gefiltert", "/veranstaltungen?gemeinde=detmold")
    checker.visit("Veranstaltungen, vergangene", "/veranstaltungen?zeitraum=vergangen")
    checker.visit("Organisationen, gefiltert", f"/organisationen?gemeinde=detmold&thema={topic}")
    checker.visit("Gemeinden", "/gemeinden")
    checker.visit("Suche mit Treffern (mehrere Seiten)", "/suche?q=kinder")
    checker.visit("Suche ohne Treffer", "/suche?q=zitronenfalter")
    checker.visit("Suche, zu langer Text", "/suche?q=" + "Garten+" * 30, status=422)
    checker.visit("Ehrenamt: Detail", need)
    checker.visit("Mithelfen: Detail", offer)
    checker.visit("Spende angeboten: Detail", donation_offer)
    checker.visit("Spende gesucht: Detail", donation_need)
    checker.visit("Veranstaltung: Detail", event)
    checker.visit("Organisation: Detail", organisation)
    checker.visit("Gemeinde: Detail", "/gemeinden/detmold")
    checker.form("Kontaktformular", need + "/kontakt")
    checker.visit("Kontaktformular (Mithelfen)", offer + "/kontakt")
    checker.visit("Kontaktformular (Spende)", donation_offer + "/kontakt")
    checker.visit("Registrieren: Auswahl", "/registrieren")
    checker.form("Registrieren: Person", "/registrieren/person", fill=type_into("f-email", "keine-adresse"))
    checker.form("Registrieren: Organisation", "/registrieren/organisation",
                 fill=type_into("f-postal_code", "12"))
    checker.form("Anmelden", "/anmelden", fill=lambda driver: (
        driver.find_element(By.ID, "f-email").send_keys("niemand@demo.example"),
        driver.find_element(By.ID, "f-password").send_keys("falsches Passwort 123")))
    checker.form("Passwort vergessen", "/passwort-vergessen")
    checker.visit("Bestätigung erneut senden", "/konto/bestaetigung-senden")
    checker.visit("Impressum", "/impressum")
    checker.visit("Datenschutz", "/datenschutz")
    checker.visit("Barrierefreiheit", "/barrierefreiheit")
    checker.form("Barriere melden", "/barrierefreiheit/rueckmeldung", optional=True)
    checker.visit("Leichte Sprache", "/leichte-sprache", optional=True)
    checker.visit("Fehler 404", "/gibt-es-nicht", status=404)
    checker.visit("Fehler 405 (GET auf /abmelden)", "/abmelden", status=405)
    return need


def language_prefixes(b):
    """(code, path prefix) of every language besides German that the start page links as an alternate."""
    _, _, body = b.raw("GET", "/")
    homes = re.findall(r'<link rel="alternate" hreflang="([a-z]{2})" href="([^"]+)"', body.decode("utf-8"))
    return [(code, urllib.parse.urlsplit(home).path.rstrip("/")) for code, home in homes if code != "de"]


def language_pages(checker, b, need):
    """A sample of pages in every further language the start page offers (hreflang alternates)."""
    languages = language_prefixes(b)
    for code, prefix in languages:
        checker.visit(f"[{code}] Startseite", prefix + "/")
        checker.visit(f"[{code}] Ehrenamt, gefiltert", prefix + "/ehrenamt?gemeinde=detmold")
        checker.visit(f"[{code}] Ehrenamt: Detail", prefix + need)
        checker.visit(f"[{code}] Suche", prefix + "/suche?q=garten")
        checker.form(f"[{code}] Registrieren: Person", prefix + "/registrieren/person", check_fresh=False)
    return [code for code, _ in languages]


def resident_pages(checker, b):
    b.login(RESIDENT, PASSWORD)
    checker.visit("Fehler 403 (Verwaltung als Bewohnerin)", "/verwaltung", status=403)
    checker.visit("Mein Bereich (Bewohnerin)", "/mein-bereich")


def club_pages(checker, b):
    b.login(CLUB_ADMIN, PASSWORD)
    checker.visit("Mein Bereich (Vereinsadmin)", "/mein-bereich")
    checker.form("Konto-Einstellungen", "/mein-bereich/konto",
                 form="main form[action='/mein-bereich/konto/passwort']")
    for kind, label in (("ehrenamt", "Ehrenamt"), ("mithelfen", "Mithelfen"), ("spende-gesucht", "Spende gesucht"),
                        ("spende-angeboten", "Spende angeboten"), ("veranstaltung", "Veranstaltung")):
        checker.form(f"Neuer Eintrag: {label}", f"/mein-bereich/neu/{kind}")
    checker.visit("Eintrag bearbeiten", first_link(b, "/mein-bereich", r'href="(/mein-bereich/eintraege/\d+)"'))
    checker.visit("Veranstaltung bearbeiten",
                  first_link(b, "/mein-bereich", r'href="(/mein-bereich/veranstaltungen/\d+)"'))
    own_organisation = first_link(b, "/mein-bereich", r'href="(/mein-bereich/organisationen/\d+)"')
    checker.form("Organisationsprofil", own_organisation, fill=clear("f-name"))
    checker.form("Mitglieder", own_organisation + "/mitglieder")


def staff_pages(checker, b):
    b.login(STAFF, PASSWORD)
    checker.visit("Verwaltung: Übersicht", "/verwaltung")
    checker.visit("Verwaltung: Organisationen", "/verwaltung/organisationen")
    checker.visit("Verwaltung: Postausgang", "/verwaltung/postausgang")
    _, _, outbox = b.raw("GET", "/verwaltung/postausgang")
    message = re.search(rb'href="(/verwaltung/postausgang/\d+)"', outbox)
    if message:
        checker.visit("Verwaltung: eine Nachricht", message.group(1).decode())
    else:  # the journeys fill the outbox; run alone, the pages find it empty
        checker.report.warn("page", "Verwaltung: eine Nachricht", "the outbox is empty: not checked")
    # A pending organisation (the keyboard journeys leave one; the demo data may have more).
    pending = first_link(b, "/verwaltung/organisationen", r'href="(/verwaltung/organisationen/\d+)"')
    checker.form("Verwaltung: eine Organisation (ablehnen ohne Grund)", pending, button="button[value=reject]")


def admin_pages(checker, b):
    b.login(ADMIN, PASSWORD)
    checker.form("Verwaltung: Team", "/verwaltung/team")
    checker.form("Verwaltung: Themen", "/verwaltung/themen")
    topic = first_link(b, "/verwaltung/themen", r'href="(/verwaltung/themen/\d+)"')
    checker.form("Verwaltung: ein Thema", topic, form="main form.form", button="button[value=save]",
                 fill=clear("f-name"))


def run(browser, report, html_dir):
    checker = PageChecker(browser, report, html_dir)
    b = browser
    b.logout()
    need = None
    for title, section in (("public pages", lambda: public_pages(checker, b)),
                           ("other languages", lambda: language_pages(checker, b, need)),
                           ("a resident's pages", lambda: resident_pages(checker, b)),
                           ("the club admin's pages", lambda: club_pages(checker, b)),
                           ("staff pages", lambda: staff_pages(checker, b)),
                           ("admin pages", lambda: admin_pages(checker, b))):
        try:
            result = section()
            if title == "public pages":
                need = result
        except Exception as error:  # a missing link skips the rest of its section only
            report.check("pages", f"{title}: ran to the end", [short_error(error)])
        checker.flush()
        b.logout()
    return checker


def check_coverage(checker, browser, report):
    """Every page type that a checked page links to has been checked itself (by the page list or a
    journey), so a page type added later cannot slip past the suite."""
    checked = checker.visited | browser.axed_types
    missing = [f"{kind} (linked from {where}) is not checked: add it to Tests/e2e/pages.py"
               for kind, where in sorted(checker.linked.items()) if kind not in checked]
    report.check("coverage", f"every linked page type is checked ({len(checked)} types)", missing)


REFLOW_JS = """
const width = document.documentElement.clientWidth;
const scroll = document.documentElement.scrollWidth;
if (scroll <= width + 1) return null;
// The elements that stick out, innermost first (a table inside a scrolling wrapper does not count:
// it does not widen the page).
const out = [];
const inScroller = el => {
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    if (getComputedStyle(node).overflowX !== 'visible') return true;
  }
  return false;
};
for (const el of document.body.querySelectorAll('*')) {
  const position = getComputedStyle(el).position;
  if (inScroller(el) && position !== 'absolute' && position !== 'fixed') continue;
  const r = el.getBoundingClientRect();
  // Right to left pages overflow to the left.
  const out_of = rect => rect.right > width + 1 || rect.left < -1;
  if (out_of(r) && r.width > 0 && ![...el.children].some(c => out_of(c.getBoundingClientRect()))) {
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes +
             ' (' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px)');
  }
  if (out.length >= 5) break;
}
return {scroll: scroll, width: width, elements: out};
"""

REFLOW_PAGES = {
    None: ["/", "/ehrenamt?gemeinde=detmold", "/spenden?art=gesuche", "/suche?q=kinder", "/suche?q=zitronenfalter",
           "/veranstaltungen", "/organisationen", "/gemeinden", "/gemeinden/schieder-schwalenberg", "/registrieren", "/registrieren/organisation",
           "/anmelden", "/barrierefreiheit", "/leichte-sprache", "/impressum", "/gibt-es-nicht"],
    CLUB_ADMIN: ["/mein-bereich", "/mein-bereich/konto", "/mein-bereich/neu/spende-gesucht",
                 "/mein-bereich/neu/veranstaltung"],
    ADMIN: ["/verwaltung", "/verwaltung/team", "/verwaltung/themen", "/verwaltung/organisationen",
            "/verwaltung/postausgang"],
}


def reflow(b, report):
    """WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) nothing scrolls sideways."""
    need = first_link(b, "/ehrenamt", r'href="(/ehrenamt/\d+)"')
    event = first_link(b, "/veranstaltungen", r'href="(/veranstaltungen/\d+)"')
    organisation = first_link(b, "/organisationen", r'href="(/organisationen/\d+)"')
    problems = []
    checked = 0
    # A desktop window 320 px wide (not mobile emulation, whose viewport grows to fit wide content).
    b.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False})
    try:
        for user, paths in REFLOW_PAGES.items():
            if user:
                b.login(user, PASSWORD)
            else:
                b.logout()
                paths = paths + [need, need + "/kontakt", event, organisation]
                paths += [prefix + page for _, prefix in language_prefixes(b)
                          for page in ("/", "/ehrenamt?gemeinde=detmold", need)]
            for path in paths:
                if b.raw("GET", path)[0] == 404 and path != "/gibt-es-nicht":
                    continue  # a page this build does not have (e.g. Leichte Sprache before it lands)
                b.open(path)
                checked += 1
                result = b.driver.execute_script(REFLOW_JS)
                if result:
                    problems.append(f"{path}: the page is {result['scroll']} px wide at {result['width']} px; "
                                    f"sticking out: {', '.join(result['elements']) or '?'}")
    finally:
        b.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        b.logout()
    report.check("reflow", f"no sideways scrolling at 320 px ({checked} pages)", problems)
