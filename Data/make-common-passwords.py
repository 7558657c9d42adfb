#!/usr/bin/env python3
"""Writes Data/common-passwords.txt: passwords people choose most often, one per line.

Source: the "passwords" frequency list of zxcvbn (MIT licence), as shipped by Debian's
python3-zxcvbn package (`apt-get install python3-zxcvbn`), most frequent first. A short list
of German and site-specific words follows at the end, for words the English-centred list lacks.
The output is checked in; this script runs only when the list should be rebuilt:

    /usr/bin/python3 Data/make-common-passwords.py > Data/common-passwords.txt
"""

import sys

from zxcvbn.frequency_lists import FREQUENCY_LISTS

# Words German speakers and users of this site are likely to build passwords from. The
# policy also rejects these with digits or punctuation appended ("passwort123!").
GERMAN_AND_SITE_WORDS = """
passwort kennwort geheim geheimnis schatz schatzi schatzilein hallo hallihallo servus moin
liebe ichliebedich mausi maus hase hasi baerchen engel sonne sonnenschein sommer winter
fruehling herbst blume blumen katze hund pferd fussball fußball deutschland germany
bayern bayernmuenchen borussia dortmund schalke werder hamburg berlin muenchen köln koeln
frankfurt bielefeld arminia detmold lemgo lippe kreislippe paderborn hoexter willkommen
zugang anmelden login benutzer admin qwertz qwertzu qwertzui asdfgh asdfghjkl yxcvbnm
ehrenamt ehrenamtlich ehrenamtsboerse boerse börse spende spenden helfen verein
""".split()


def usable(word: str) -> bool:
    """Entries a person could type into a password field: printable, without spaces."""
    return word != "" and word.isprintable() and not any(c.isspace() for c in word)


def main() -> None:
    seen = set()
    lines = []
    for word in list(FREQUENCY_LISTS["passwords"]) + GERMAN_AND_SITE_WORDS:
        word = word.strip().lower()
        if usable(word) and word not in seen:
            seen.add(word)
            lines.append(word)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
