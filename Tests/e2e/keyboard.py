"""Keyboard-only driving: Tab, Shift+Tab, Enter and Space, plus typing text into the focused field.
No clicks, no element.click(), no script that submits or focuses anything; scripts only read the page.

Every Tab is checked: the newly focused element is the next tabbable element in DOM order (so the
order follows the page, and nothing is skipped), it is rendered inside the viewport and not covered,
and its look differs from its unfocused look (outline, box-shadow, colours or underline of the
element, its label or its parent), i.e. there is a visible focus indicator."""
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

# Reads the page only. `window.__e2eBase` keeps each focusable element's unfocused look, taken when
# a document is first seen (before any key press on it).
FOCUS_LIBRARY = r"""
if (!window.__e2e) {
  const look = el => {
    const cs = getComputedStyle(el);
    // Only what shows: an outline counts when it has a style and a width.
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
      ? [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.outlineOffset].join(' ') : 'none';
    return [outline, cs.boxShadow, cs.backgroundColor, cs.color, cs.borderTopColor, cs.borderBottomColor,
            cs.borderBottomWidth, cs.textDecorationLine, cs.textDecorationThickness].join('|');
  };
  const FOCUSABLE = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], iframe';
  const labelFor = el => (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) || null;
  const related = el => [el, labelFor(el), el.parentElement].filter(Boolean);
  const rendered = el => {
    if (el.getClientRects().length === 0) return false;
    if (getComputedStyle(el).visibility === 'hidden') return false;
    const closed = el.closest('details:not([open])');
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) return false;
    return true;
  };
  const tabbables = () => {
    const radiosSeen = new Set();
    const list = [];
    for (const el of document.querySelectorAll(FOCUSABLE)) {
      if (el.tabIndex < 0 || el.disabled || el.closest('[inert]') || !rendered(el)) continue;
      if (el.type === 'radio' && el.name) {
        if (radiosSeen.has(el.form + el.name)) continue;
        const group = [...document.querySelectorAll('input[type=radio]')].filter(
          r => r.name === el.name && r.form === el.form);
        const checked = group.find(r => r.checked);
        radiosSeen.add(el.form + el.name);
        list.push(checked || el);
        continue;
      }
      list.push(el);
    }
    return list;
  };
  const describe = el => {
    if (!el || el === document.body) return 'body';
    let text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim();
    let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '');
    return name + (text ? ' "' + text.slice(0, 50) + '"' : '');
  };
  window.__e2e = {
    capture() {
      const base = new Map();
      for (const el of document.querySelectorAll(FOCUSABLE)) {
        for (const node of related(el)) if (!base.has(node)) base.set(node, look(node));
      }
      window.__e2eBase = base;
      window.__e2eFocusedAtCapture = document.activeElement;
    },
    // The element Tab (or Shift+Tab) should reach from the current focus.
    expected(backwards) {
      const list = tabbables();
      const from = document.activeElement;
      if (!from || from === document.body) return backwards ? list[list.length - 1] : list[0];
      if (backwards) {
        for (let i = list.length - 1; i >= 0; i--) {
          const before = list[i].compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING;
          if (list[i] !== from && before) return list[i];
        }
      } else {
        for (const el of list) {
          // Descendants count as following: Tab from a focused <main> goes to the first link in it.
          if (el !== from && (from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) return el;
        }
      }
      return null;
    },
    state() {
      const el = document.activeElement;
      const info = {description: describe(el), none: !el || el === document.body || el === document.documentElement};
      if (info.none) return info;
      const r = el.getBoundingClientRect();
      info.inMain = !!el.closest('main');
      info.tag = el.tagName;
      info.inViewport = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
        r.top < window.innerHeight && r.left < window.innerWidth;
      let covered = null;
      if (info.inViewport) {
        const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
        const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), window.innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        const label = labelFor(el);
        if (hit && !(hit === el || el.contains(hit) || (label && (label === hit || label.contains(hit))) ||
                     hit.contains(el))) covered = describe(hit);
      }
      info.coveredBy = covered;
      const base = window.__e2eBase;
      if (!base || window.__e2eFocusedAtCapture === el) {
        info.indicator = 'unknown';
      } else {
        const changed = related(el).filter(node => base.has(node) && base.get(node) !== look(node));
        info.indicator = changed.length ? 'yes' : 'no';
        const cs = getComputedStyle(el);
        info.look = 'outline ' + cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor +
          '; box-shadow ' + cs.boxShadow;
      }
      return info;
    },
    matches(selector, text) {
      const el = document.activeElement;
      if (!selector || !el || !el.matches(selector)) return false;
      return !text || (el.textContent + ' ' + (el.value || '')).includes(text);
    },
    describe: describe,
  };
}
"""


class Keyboard:
    """Presses keys and checks every focus move. Problems are collected in `self.problems`."""

    def __init__(self, browser, journey):
        self.browser = browser
        self.driver = browser.driver
        self.journey = journey
        self.problems = []
        self.steps = 0

    def _script(self, body, *arguments):
        return self.driver.execute_script(FOCUS_LIBRARY + body, *arguments)

    def _prepare(self):
        # A new document: note every element's unfocused look before the first key press.
        self._script("if (!window.__e2eBase) window.__e2e.capture();")

    def focus_state(self):
        return self._script("return window.__e2e.state();")

    def _check_focus(self, state, what):
        where = f"{self.browser.path}: {state['description']}"
        if state["none"]:
            self.problems.append(f"{what}: nothing has the focus ({self.browser.path})")
            return
        if not state["inViewport"]:
            self.problems.append(f"{what}: focused element is not visible in the viewport — {where}")
        if state.get("coveredBy"):
            self.problems.append(f"{what}: focused element is covered by {state['coveredBy']} — {where}")
        if state["indicator"] == "no":
            self.problems.append(f"{what}: no visible focus indicator ({state.get('look')}) — {where}")

    def tab(self, backwards=False, selector=None, text=None):
        """One Tab (or Shift+Tab), checked. With `selector`, the returned state tells whether the newly
        focused element matches it (and contains `text`)."""
        before = self._script(
            "if (!window.__e2eBase) window.__e2e.capture();"
            "const next = window.__e2e.expected(arguments[0]);"
            "return [next, next ? window.__e2e.describe(next) : null];", backwards)
        expected, expected_text = before
        chain = ActionChains(self.driver)
        if backwards:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
        self.steps += 1
        state = self._script(
            "const state = window.__e2e.state();"
            "state.reachedExpected = !arguments[0] || document.activeElement === arguments[0];"
            "state.matches = window.__e2e.matches(arguments[1], arguments[2]);"
            "return state;", expected, selector, text)
        key = "Shift+Tab" if backwards else "Tab"
        if expected is None:
            return state  # focus left the page (to the browser's own controls)
        if not state["reachedExpected"]:
            self.problems.append(f"{key} order: expected {expected_text}, focus went to {state['description']} "
                                 f"({self.browser.path})")
        self._check_focus(state, key)
        return state

    def tab_to(self, selector, text=None, backwards=False, limit=120):
        """Tabs until the focused element matches the CSS selector (and contains `text`)."""
        if self._script("return window.__e2e.matches(arguments[0], arguments[1]);", selector, text):
            return True
        for _ in range(limit):
            if self.tab(backwards, selector, text)["matches"]:
                return True
        raise AssertionError(f"{self.journey}: {limit} Tab presses did not reach {selector} {text or ''} "
                             f"on {self.browser.path}")

    def press(self, key, navigates=False):
        """Enter or Space on the focused element; with `navigates`, waits for the next document."""
        assert key in (Keys.ENTER, Keys.SPACE)
        if navigates:
            self.browser.mark()
        ActionChains(self.driver).send_keys(key).perform()
        self.steps += 1
        if navigates and not self.browser.wait_for_new_document():
            raise AssertionError(f"{self.journey}: no new page after the key press on {self.browser.path}")

    def type(self, text):
        """Types text into the focused field (letters also pick an option in a focused select)."""
        ActionChains(self.driver).send_keys(text).perform()

    def fill(self, field_id, text, limit=120):
        self.tab_to(f"#{field_id}", limit=limit)
        self.type(text)

    def tick(self, field_id, limit=120):
        self.tab_to(f"#{field_id}", limit=limit)
        if not self.driver.execute_script("return document.activeElement.checked;"):
            self.press(Keys.SPACE)
            if not self.driver.execute_script("return document.activeElement.checked;"):
                self.problems.append(f"Space does not tick #{field_id} ({self.browser.path})")

    def submit(self, text=None, selector="main button[type=submit]"):
        """Tabs to the form's button and presses Enter; waits for the answer."""
        self.tab_to(selector, text)
        self.press(Keys.ENTER, navigates=True)

    def checked_focus(self, what):
        """Checks the current focus (after a page load or a fragment link) and returns its state."""
        self._prepare()
        state = self.focus_state()
        self._check_focus(state, what)
        return state


def wait_form_time(shown_at, seconds):
    time.sleep(max(0.0, seconds - (time.time() - shown_at)))
