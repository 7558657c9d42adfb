"""Keyboard-only journeys: skip link, filter a list, open a listing, the contact form with an error and
then correctly, register a person, post a listing as the demo club's admin, and register an
organisation that staff then approve. Only Tab, Shift+Tab, Enter and Space move and act; text is
typed into the focused field. Links from e-mails are read from the outbox (`boerse mail`) and opened
by URL, as a person opens them from their mail program. Each page a journey reaches is also checked
with axe."""
import re
import time
import uuid

from selenium.webdriver.common.keys import Keys

import browser as browser_module
from keyboard import Keyboard, wait_form_time
import pages

FILL = browser_module.FORM_FILL_SECONDS
NEW_PASSWORD = "Kastanien sammeln im Oktober 42"


class Journey:
    def __init__(self, b, report, server, name):
        self.b = b
        self.report = report
        self.server = server
        self.name = name
        self.keys = Keyboard(b, name)
        self.problems = self.keys.problems
        self.axed = set()

    def expect(self, condition, message):
        if not condition:
            self.problems.append(f"{message} ({self.b.path})")
        return condition

    def axe_here(self):
        """axe on the page the journey reached (once per path without query)."""
        path = self.b.path.split("?")[0]
        if path in self.axed:
            return
        self.axed.add(path)
        violations, _ = self.b.axe()
        for violation in violations:
            self.problems.append("axe: " + browser_module.describe(violation) + f"\n    page: {self.b.path}")

    def text(self, selector):
        return self.b.driver.execute_script(
            "const el = document.querySelector(arguments[0]); return el ? el.textContent.trim() : null;", selector)

    def active(self, script):
        return self.b.driver.execute_script("const el = document.activeElement; return " + script + ";")


def mail_link(server, recipient, pattern):
    """The newest outbox message to `recipient` and the first link in it that matches `pattern`."""
    listing = server.mail("list", "--all")
    for line in listing.splitlines():
        if recipient in line:
            number = re.match(r"\s*(\d+)\s", line)  # the first column is the id; newest first
            if number:
                body = server.mail("show", number.group(1))
                match = re.search(pattern, body)
                if match:
                    return match.group(0)
    raise AssertionError(f"no mail to {recipient} with a link like {pattern} in the outbox")


def confirm_from_outbox(j, email):
    """Opens the confirmation link by URL and presses its button with the keyboard."""
    link = mail_link(j.server, email, r"/konto/bestaetigen/[A-Za-z0-9_-]+")
    j.b.open(link)
    shown = time.time()
    j.axe_here()
    wait_form_time(shown, FILL)
    j.keys.submit()
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary');"),
             "the confirmation was refused")


def skip_link(j, prefix=""):
    j.b.open(prefix + "/")
    state = j.keys.tab()
    j.expect("skip-link" in j.active("el.className"), f"first Tab reaches {state['description']}, not the skip link")
    j.keys.press(Keys.ENTER)
    time.sleep(0.1)
    j.expect(j.active("el.id") == "inhalt", "Enter on the skip link does not move the focus to <main>")
    state = j.keys.tab()
    j.expect(state.get("inMain"), f"Tab after the skip link goes to {state['description']}, outside <main>")
    # Shift+Tab goes back before main: the last link of the main navigation.
    state = j.keys.tab(backwards=True)
    j.expect(not state.get("inMain"), "Shift+Tab from the first element in main stays in main")
    j.axe_here()


def filter_and_open(j, prefix=""):
    """Filter a list by municipality, then open a listing from the results."""
    keys = j.keys
    j.b.open(prefix + "/ehrenamt")
    keys.tab_to("summary.filters__summary")
    keys.press(Keys.ENTER)
    j.expect(j.b.driver.execute_script("return document.querySelector('details.filters').open;"),
             "Enter on the filter summary does not open the filter")
    keys.tick("gemeinde-detmold")
    place = j.text("label[for=gemeinde-detmold]") or "Detmold"
    keys.submit(selector=".filters__form button[type=submit]")
    j.expect("gemeinde=detmold" in j.b.path, "the filter form did not send the municipality")
    j.expect(j.b.driver.execute_script(
        "return document.querySelector('#gemeinde-detmold').checked;"), "the chosen municipality is not kept")
    j.axe_here()
    keys.tab_to(".card__title a")
    keys.press(Keys.ENTER, navigates=True)
    j.expect(re.search(r"^(/[a-z]{2})?/ehrenamt/\d+$", j.b.path), "Enter on the first result did not open the listing")
    j.expect(place in (j.text("main") or ""), f"the opened listing is not in {place}")
    j.axe_here()
    return j.b.path


def contact(j, listing):
    keys = j.keys
    j.b.open(listing)
    keys.tab_to("main a[href$='/kontakt']")
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    j.axe_here()
    keys.fill("f-name", "Karla Kühn")
    keys.fill("f-message", "Ich hätte samstags Zeit und würde gern helfen.")
    keys.tick("f-consent")
    wait_form_time(shown, FILL)
    keys.submit()
    shown = time.time()
    # After an error: the summary has the focus (announced as an alert) and links to the field.
    j.expect(j.active("el.classList.contains('error-summary')"),
             f"after the error the focus is on {keys.focus_state()['description']}, not on the error summary")
    keys.checked_focus("focus after sending with an error")
    invalid = j.b.driver.execute_script(
        "const f = document.getElementById('f-email'); return [f.getAttribute('aria-invalid'), "
        "f.getAttribute('aria-describedby') || ''];")
    j.expect(invalid[0] == "true", "the e-mail field is not marked aria-invalid")
    j.expect("f-email-error" in invalid[1], "the e-mail field is not described by its error message")
    j.axe_here()
    keys.tab_to(".error-summary a[href='#f-email']")
    keys.press(Keys.ENTER)
    time.sleep(0.1)
    j.expect(j.active("el.id") == "f-email", "the error summary's link does not move the focus to the field")
    keys.checked_focus("focus after following the error link")
    keys.type("karla.kuehn@example.org")
    wait_form_time(shown, FILL)
    keys.submit()
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary');"),
             "the corrected contact form was refused")
    j.expect(j.b.driver.execute_script("return !!document.querySelector('.flash, [role=status]');"),
             "no confirmation shown after sending the contact form")
    j.axe_here()


def register_person(j):
    keys = j.keys
    email = f"person-{uuid.uuid4().hex[:8]}@example.org"
    j.b.logout()
    j.b.open("/")
    keys.tab_to("a[href='/registrieren']")
    keys.press(Keys.ENTER, navigates=True)
    j.axe_here()
    keys.tab_to("main a[href='/registrieren/person']")
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    keys.fill("f-name", "Jonas Berger")
    keys.fill("f-email", email)
    keys.fill("f-password", NEW_PASSWORD)
    keys.tick("f-consent")
    wait_form_time(shown, FILL)
    keys.submit()
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary');"),
             "the registration was refused: " + str(j.text(".error-summary")))
    j.axe_here()
    confirm_from_outbox(j, email)
    j.axe_here()
    return email


def login(j, email, password):
    keys = j.keys
    j.b.logout()
    j.b.open("/")
    keys.tab_to("a[href='/anmelden']")
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    keys.fill("f-email", email)
    keys.fill("f-password", password)
    wait_form_time(shown, FILL)
    keys.submit()
    j.expect("/anmelden" not in j.b.path, f"login as {email} failed")


def post_listing(j):
    keys = j.keys
    title = f"Vorlesepatin für die Stadtbücherei {uuid.uuid4().hex[:4]}"
    login(j, pages.CLUB_ADMIN, pages.PASSWORD)
    if "/mein-bereich" not in j.b.path:
        keys.tab_to("a[href='/mein-bereich']")
        keys.press(Keys.ENTER, navigates=True)
    j.axe_here()
    keys.tab_to("main a[href='/mein-bereich/neu/ehrenamt']")
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    j.axe_here()
    keys.fill("f-title", title)
    keys.fill("f-description", "Einmal im Monat vorlesen: Kinder von 5 bis 8 Jahren freuen sich auf Geschichten.")
    keys.tick("f-topics-9")  # Bildung & Lernen
    keys.tab_to("#f-municipality")
    keys.type("Blomberg")
    j.expect(j.active("el.value") == "blomberg", "typing the name did not choose the municipality")
    keys.tab_to("#f-commitment")  # the first choice, "once", reached with Tab and chosen with Space
    keys.press(Keys.SPACE)
    keys.fill("f-one_off_date", "24.10.2027")
    wait_form_time(shown, FILL)
    keys.submit()
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary');"),
             "the posting was refused: " + str(j.text(".error-summary")))
    j.expect(title in (j.text("main") or ""), "the new listing is not shown after posting")
    j.axe_here()


def approve_organisation(j):
    keys = j.keys
    email = f"verein-{uuid.uuid4().hex[:8]}@example.org"
    name = f"Förderverein Freibad Lemgo {uuid.uuid4().hex[:4]}"
    j.b.logout()
    j.b.open("/registrieren")
    keys.tab_to("main a[href='/registrieren/organisation']")
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    keys.fill("f-organisation_name", name)
    keys.tab_to("#f-legal_form")
    keys.type("Verein")
    keys.tab_to("#f-municipality")
    keys.type("Lemgo")
    keys.fill("f-description", "Wir halten das Freibad offen: Kasse, Grünpflege und Schwimmkurse.")
    keys.tick("f-topics")  # Sport & Bewegung
    keys.fill("f-street", "Am Bad 3")
    keys.fill("f-postal_code", "32657")
    keys.fill("f-city", "Lemgo")
    keys.fill("f-contact_name", "Petra Sommer")
    keys.fill("f-name", "Petra Sommer")
    keys.fill("f-email", email)
    keys.fill("f-password", NEW_PASSWORD)
    keys.tick("f-consent")
    wait_form_time(shown, FILL)
    keys.submit()
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary');"),
             "the organisation's registration was refused: " + str(j.text(".error-summary")))
    confirm_from_outbox(j, email)

    login(j, pages.STAFF, pages.PASSWORD)
    keys.tab_to("a[href='/verwaltung']")
    keys.press(Keys.ENTER, navigates=True)
    keys.tab_to("main a[href='/verwaltung/organisationen']")
    keys.press(Keys.ENTER, navigates=True)
    j.axe_here()
    keys.tab_to("main a[href^='/verwaltung/organisationen/']", text=name)
    keys.press(Keys.ENTER, navigates=True)
    shown = time.time()
    j.axe_here()
    wait_form_time(shown, FILL)
    keys.submit(selector="main button[value=approve]")
    j.expect(j.b.driver.execute_script("return !document.querySelector('.error-summary, .problem');"),
             "the approval was refused")
    j.axe_here()
    # The organisation is now listed publicly.
    status, _, body = j.b.raw("GET", "/organisationen?gemeinde=lemgo")
    j.expect(name.encode() in body.replace(b"&amp;", b"&"), "the approved organisation is not in the directory")


JOURNEYS = [
    ("Skip link moves the focus to the main content", lambda j, found: skip_link(j)),
    ("Filter a list by municipality and open a listing",
     lambda j, found: found.update(listing=filter_and_open(j))),
    ("Contact form: an error, then sent", lambda j, found: contact(
        j, found.get("listing") or pages.first_link(j.b, "/ehrenamt", r'href="(/ehrenamt/\d+)"'))),
    ("Register a person and confirm by the e-mail link", lambda j, found: register_person(j)),
    ("Log in and post a listing (demo club admin)", lambda j, found: post_listing(j)),
    ("Register an organisation; staff approve it", lambda j, found: approve_organisation(j)),
    ("Arabic, right to left: skip link, filter a list, open a listing", lambda j, found: right_to_left(j)),
]


def right_to_left(j):
    if j.b.raw("GET", "/ar/")[0] == 404:
        j.report.warn("keyboard", "Arabic", "this build has no /ar/ pages: not checked")
        return
    skip_link(j, "/ar")
    j.expect(j.b.driver.execute_script("return document.documentElement.dir;") == "rtl", "/ar/ is not right to left")
    filter_and_open(j, "/ar")


def run(b, report, server):
    found = {}  # what one journey hands the next (the listing opened from the filtered list)
    for title, action in JOURNEYS:
        j = Journey(b, report, server, title)
        try:
            action(j, found)
        except Exception as error:
            j.problems.append(f"stopped: {pages.short_error(error)} (at {b.path})")
        report.check("keyboard", f"{title} ({j.keys.steps} key presses)", j.problems)
    b.logout()
