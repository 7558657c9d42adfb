-- The Themenfelder (volunteering topics) and donation categories every county starts with.
-- Admins manage the taxonomy later; these rows are the default set. Display names are German;
-- translations come from Localization/<lang>.json under "topic.<slug>".

INSERT INTO topics (slug, kind, name, sort_order) VALUES
    ('sport',              'volunteering', 'Sport & Bewegung', 10),
    ('kultur',             'volunteering', 'Kultur & Musik', 20),
    ('soziales',           'volunteering', 'Soziales', 30),
    ('kinder-jugend',      'volunteering', 'Kinder & Jugend', 40),
    ('senioren',           'volunteering', 'Seniorinnen & Senioren', 50),
    ('integration',        'volunteering', 'Integration & Migration', 60),
    ('umwelt',             'volunteering', 'Umwelt & Naturschutz', 70),
    ('tierschutz',         'volunteering', 'Tierschutz', 80),
    ('bildung',            'volunteering', 'Bildung & Lernen', 90),
    ('gesundheit',         'volunteering', 'Gesundheit & Pflege', 100),
    ('feuerwehr',          'volunteering', 'Feuerwehr & Katastrophenschutz', 110),
    ('nachbarschaft',      'volunteering', 'Nachbarschaftshilfe', 120),
    ('inklusion',          'volunteering', 'Inklusion & Teilhabe', 130),
    ('kirche',             'volunteering', 'Kirche & Glaube', 140),
    ('moebel',             'donation', 'Möbel', 210),
    ('kleidung',           'donation', 'Kleidung', 220),
    ('spielzeug',          'donation', 'Spielzeug', 230),
    ('haushalt',           'donation', 'Haushalt', 240),
    ('elektrogeraete',     'donation', 'Elektrogeräte', 250),
    ('buecher-medien',     'donation', 'Bücher & Medien', 260),
    ('sonstiges',          'donation', 'Sonstiges', 270);
