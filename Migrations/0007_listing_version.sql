-- A counter that changes with every write that can change which listings are public or how they are
-- filtered: listings themselves, their topics, and their organisations (approval decides visibility).
-- The list pages' result counts scan every public listing of a kind; `ListingCounts` keeps a count
-- until this counter moves or the earliest expiry among the counted listings passes, so a page costs
-- one point read instead of a scan that grows with the county's listings.
CREATE TABLE data_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO data_versions (name, version) VALUES ('listings', 0);

CREATE TRIGGER listings_version_after_insert AFTER INSERT ON listings BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_update AFTER UPDATE ON listings BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_delete AFTER DELETE ON listings BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_topic_insert AFTER INSERT ON listing_topics BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_topic_delete AFTER DELETE ON listing_topics BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_organisation_update AFTER UPDATE OF state ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_organisation_delete AFTER DELETE ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
