-- The language a person uses the site in (a `Language` code: 'de', 'en', 'ar', 'uk', 'tr'), so that mail
-- sent to them by others (a contact message, a staff decision) is written in it. Set at registration and
-- at each login from the page's language; accounts from before, and those made on the command line, are
-- German. The check keeps it a bare lowercase code, never free text.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'de'
    CHECK (length(language) BETWEEN 2 AND 8 AND language NOT GLOB '*[^a-z]*');
