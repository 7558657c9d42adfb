-- Whole listing pages are kept for visitors without a session (`PageCache`) while the listings' version
-- counter stays where it was. Besides what decides visibility (0007), a listing's page shows its
-- organisation's name and, for a donation need, its item lines: changes to those move the counter too.
CREATE TRIGGER listings_version_after_organisation_rename AFTER UPDATE OF name ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_item_insert AFTER INSERT ON listing_items BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_item_update AFTER UPDATE ON listing_items BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
CREATE TRIGGER listings_version_after_item_delete AFTER DELETE ON listing_items BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'listings';
END;
