#!/usr/bin/env python3
"""make i18n-check: the interface is complete and consistent in every language.

Checks, for Localization/<lang>.json against the German source de.json:
1. the same keys (plural objects may have the categories their language needs);
2. no empty values; every {placeholder} of the German text also in the translation
   ({in_county} is German text and may be replaced by the language's own words around {county});
3. no untranslated copies of German: a value equal to the German one is allowed only for keys listed
   for that language in Localization/identical.json (names, patterns, words that are the same);
4. every key a template uses ({{t.…}}) exists;
5. no unused keys: each German key is referred to by a template, or appears in the Swift sources
   in full or as the pieces the code builds it from (segments in string literals);
6. topic names: every topic the migrations create has topic_names.<slug>, and every such key names
   one of them (the code builds the key from a slug at run time).
Standard library only; exits 1 with a list of problems.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LANGUAGES = ["en", "ar", "uk", "tr"]
PLURALS = {"one", "other", "zero", "two", "few", "many"}


def flatten(obj, prefix=""):
    out = {}
    for key, value in obj.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def seeded_topic_slugs():
    """Slugs of the topics the SQL migrations insert: ('slug', 'volunteering'|'donation', …)."""
    slugs = set()
    directory = os.path.join(ROOT, "Migrations")
    for name in sorted(os.listdir(directory)):
        if name.endswith(".sql"):
            text = open(os.path.join(directory, name), encoding="utf-8").read()
            slugs.update(re.findall(r"\(\s*'([a-z0-9-]+)'\s*,\s*'(?:volunteering|donation)'\s*,\s*'", text))
    return slugs


def plural_parent(key):
    parent, _, last = key.rpartition(".")
    return parent if last in PLURALS else None


def main():
    problems = []
    german = flatten(json.load(open(os.path.join(ROOT, "Localization", "de.json"), encoding="utf-8")))
    identical_path = os.path.join(ROOT, "Localization", "identical.json")
    identical = json.load(open(identical_path, encoding="utf-8")) if os.path.exists(identical_path) else {}
    german_plural_parents = {plural_parent(k) for k in german if plural_parent(k)}
    for language in LANGUAGES:
        path = os.path.join(ROOT, "Localization", f"{language}.json")
        if not os.path.exists(path):
            problems.append(f"{language}: Localization/{language}.json is missing")
            continue
        translated = flatten(json.load(open(path, encoding="utf-8")))
        allowed_same = set(identical.get(language, []))
        for key in german:
            parent = plural_parent(key)
            if key not in translated and not (parent and key.endswith(".one") and language in ("ar",)):
                if not (parent and key.endswith(".other") and any(k.startswith(parent + ".") for k in translated)):
                    problems.append(f"{language}: missing {key}")
        for key, value in translated.items():
            parent = plural_parent(key)
            if key not in german and not (parent in german_plural_parents):
                problems.append(f"{language}: unknown key {key}")
                continue
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{language}: empty value {key}")
                continue
            source = german.get(key) or german.get(f"{parent}.other", "")
            for placeholder in set(re.findall(r"\{[a-zA-Z_]+\}", source)) - {"{in_county}"}:
                if placeholder not in value and placeholder != "{count}":
                    problems.append(f"{language}: {key} lacks {placeholder}")
            if key in german and value == german[key] and key not in allowed_same:
                problems.append(f"{language}: {key} is the German text (translate it, or list it in identical.json)")

    template_text = ""
    for folder, _, files in os.walk(os.path.join(ROOT, "Templates")):
        for name in files:
            if name.endswith(".mustache"):
                template_text += open(os.path.join(folder, name), encoding="utf-8").read() + "\n"
    german_objects = set()
    for key in german:
        parts = key.split(".")
        for index in range(1, len(parts)):
            german_objects.add(".".join(parts[:index]))
    for used in sorted(set(re.findall(r"\{\{[#^/&{]?\s*t\.([a-z0-9_.]+)", template_text))):
        if used not in german and used not in german_objects:
            problems.append(f"templates use t.{used}, which de.json lacks")

    swift_text = ""
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources")):
        for name in files:
            if name.endswith(".swift"):
                swift_text += open(os.path.join(folder, name), encoding="utf-8").read() + "\n"
    literals = set(re.findall(r'"((?:[^"\\\n]|\\.)*)"', swift_text))
    fragments = set()
    for literal in literals:
        for piece in re.split(r"\\\(|\)|[^a-z0-9_.]", literal):
            for part in piece.split("."):
                if part:
                    fragments.add(part)
    # Keys built from enum cases ("kind.\(kind.rawValue)") and status codes ("error.\(code).title").
    for cases in re.findall(r"\bcase\s+([a-zA-Z_][a-zA-Z0-9_]*(?:\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*)*)", swift_text):
        for case in cases.split(","):
            name = case.strip()
            fragments.add(name)
            fragments.add(re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())
    fragments.update(re.findall(r"\b\d{1,3}\b", swift_text))
    template_keys = set(re.findall(r"t\.([a-z0-9_.]+)", template_text))
    # Mail templates read their section as m.x / c.x; the mailer passes whole sections.
    mail_fragments = set(re.findall(r"\{\{[#^/]?\s*[mc]\.([a-z0-9_]+)", template_text))
    seeded = seeded_topic_slugs()
    named = {key.split(".", 1)[1] for key in german if key.startswith("topic_names.")}
    for slug in sorted(seeded - named):
        problems.append(f"de.json: topic {slug} from the migrations has no topic_names.{slug}")
    unused = []
    for key in german:
        if key.startswith("topic_names."):
            if key.split(".", 1)[1] not in seeded:
                unused.append(key)
            continue
        parent = plural_parent(key) or key
        if parent in template_keys or key in template_keys:
            continue
        if any(prefix in template_keys for prefix in german_objects if parent.startswith(prefix + ".")):
            continue
        if parent in literals or key in literals:
            continue
        if key.startswith("mail.") and key.split(".")[-1] in mail_fragments | {"subject"}:
            continue
        segments = parent.split(".")
        # "text_\($0 + 1)" builds text_1, text_2, …: a numbered segment counts when its stem does.
        segments = [re.sub(r"^([a-z_]+_)\d+$", r"\1", segment) for segment in segments]
        if all(segment in fragments for segment in segments):
            continue
        unused.append(key)
    for key in unused:
        problems.append(f"de.json: {key} seems unused (no template or code refers to it)")

    for problem in problems[:200]:
        print("i18n:", problem)
    print(f"i18n: {len(german)} German keys, {len(LANGUAGES)} translations, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
