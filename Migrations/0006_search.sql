-- Full-text search over listings (/suche): an FTS5 index of title, summary and description.
-- External content: the text lives only in `listings`; the index holds the tokens, keyed by the listing's id
-- (`content_rowid`). Every listing is indexed whatever its state; the query applies the same visibility rules
-- as the list pages. `unicode61 remove_diacritics 2` folds case and diacritics in any script, so "Möbel",
-- "MÖBEL" and "mobel" are the same word (spelled-out umlauts are handled by the query, `SearchQuery`).
CREATE VIRTUAL TABLE listings_search USING fts5(
    title, summary, description,
    content = 'listings', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The triggers keep the index in step with every write, including deletes cascading from an organisation.
-- Updates that do not touch the text (state, publication, expiry) leave the index alone.
CREATE TRIGGER listings_search_after_insert AFTER INSERT ON listings BEGIN
    INSERT INTO listings_search (rowid, title, summary, description)
    VALUES (new.id, new.title, new.summary, new.description);
END;

CREATE TRIGGER listings_search_after_delete AFTER DELETE ON listings BEGIN
    INSERT INTO listings_search (listings_search, rowid, title, summary, description)
    VALUES ('delete', old.id, old.title, old.summary, old.description);
END;

CREATE TRIGGER listings_search_after_update AFTER UPDATE OF id, title, summary, description ON listings BEGIN
    INSERT INTO listings_search (listings_search, rowid, title, summary, description)
    VALUES ('delete', old.id, old.title, old.summary, old.description);
    INSERT INTO listings_search (rowid, title, summary, description)
    VALUES (new.id, new.title, new.summary, new.description);
END;

-- Index the listings stored before this migration.
INSERT INTO listings_search (listings_search) VALUES ('rebuild');
