-- Initial schema of the Ehrenamts- und Spendenbörse.
-- Times are Unix seconds (UTC) in INTEGER columns; the application formats them in Europe/Berlin.
-- Text enumerations are checked here so that no code path can store a value the domain does not know.

CREATE TABLE municipalities (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    latitude    REAL    NOT NULL,
    longitude   REAL    NOT NULL,
    population  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('volunteering', 'donation')),
    name        TEXT    NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL DEFAULT 'resident'
                                CHECK (role IN ('resident', 'organisation_member', 'staff', 'admin')),
    password_hash       TEXT,
    email_confirmed_at  INTEGER,
    created_at          INTEGER NOT NULL
);

CREATE TABLE organisations (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    legal_form        TEXT    NOT NULL DEFAULT 'association'
                              CHECK (legal_form IN ('association', 'foundation', 'charity_company', 'church',
                                                    'initiative', 'public_body', 'other')),
    description       TEXT    NOT NULL DEFAULT '',
    municipality_id   INTEGER NOT NULL REFERENCES municipalities(id),
    street            TEXT    NOT NULL DEFAULT '',
    postal_code       TEXT    NOT NULL DEFAULT '',
    contact_name      TEXT    NOT NULL DEFAULT '',
    email             TEXT    NOT NULL DEFAULT '',
    phone             TEXT    NOT NULL DEFAULT '',
    website           TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'approved', 'rejected', 'suspended')),
    rejection_reason  TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    approved_at       INTEGER
);
CREATE INDEX organisations_by_state_name ON organisations(state, name COLLATE NOCASE);
CREATE INDEX organisations_by_municipality ON organisations(municipality_id, state);

CREATE TABLE organisation_topics (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    topic_id         INTEGER NOT NULL REFERENCES topics(id),
    PRIMARY KEY (organisation_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX organisation_topics_by_topic ON organisation_topics(topic_id, organisation_id);

-- One table for the four kinds of listing (volunteer needs and offers, donation needs and offers):
-- they share their lifecycle, moderation and list pages; kind-specific columns are nullable.
CREATE TABLE listings (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT    NOT NULL
                               CHECK (kind IN ('volunteer_need', 'volunteer_offer', 'donation_need', 'donation_offer')),
    title              TEXT    NOT NULL,
    summary            TEXT    NOT NULL DEFAULT '',
    description        TEXT    NOT NULL DEFAULT '',
    organisation_id    INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    poster_name        TEXT    NOT NULL DEFAULT '',
    created_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    municipality_id    INTEGER NOT NULL REFERENCES municipalities(id),
    location_text      TEXT    NOT NULL DEFAULT '',
    time_commitment    TEXT    NOT NULL DEFAULT 'flexible'
                               CHECK (time_commitment IN ('once', 'occasional', 'monthly', 'weekly', 'flexible')),
    hours_per_month    INTEGER,
    schedule_text      TEXT    NOT NULL DEFAULT '',
    requirements       TEXT    NOT NULL DEFAULT '',
    german_level       TEXT    NOT NULL DEFAULT 'any'
                               CHECK (german_level IN ('any', 'basic', 'good', 'fluent')),
    contact_languages  TEXT    NOT NULL DEFAULT 'de',
    quantity           TEXT    NOT NULL DEFAULT '',
    item_condition     TEXT    CHECK (item_condition IS NULL OR item_condition IN ('new', 'good', 'used')),
    pickup_text        TEXT    NOT NULL DEFAULT '',
    contact_name       TEXT    NOT NULL DEFAULT '',
    contact_email      TEXT    NOT NULL DEFAULT '',
    contact_phone      TEXT    NOT NULL DEFAULT '',
    state              TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('draft', 'pending', 'published', 'rejected', 'hidden', 'expired', 'archived')),
    rejection_reason   TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    published_at       INTEGER,
    expires_at         INTEGER,
    CHECK (state <> 'published' OR published_at IS NOT NULL)
);
-- The list pages read "published, of one kind, newest first", optionally in one municipality.
CREATE INDEX listings_by_kind_state_published ON listings(kind, state, published_at DESC, id DESC);
CREATE INDEX listings_by_municipality ON listings(municipality_id, kind, state, published_at DESC);
CREATE INDEX listings_by_organisation ON listings(organisation_id, state);
CREATE INDEX listings_by_expiry ON listings(state, expires_at);

CREATE TABLE listing_topics (
    listing_id  INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics(id),
    PRIMARY KEY (listing_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX listing_topics_by_topic ON listing_topics(topic_id, listing_id);

CREATE TABLE events (
    id                      INTEGER PRIMARY KEY,
    title                   TEXT    NOT NULL,
    summary                 TEXT    NOT NULL DEFAULT '',
    description             TEXT    NOT NULL DEFAULT '',
    event_type              TEXT    NOT NULL DEFAULT 'other'
                                    CHECK (event_type IN ('training', 'info_evening', 'forum', 'meeting', 'other')),
    organisation_id         INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    organiser_name          TEXT    NOT NULL DEFAULT '',
    municipality_id         INTEGER NOT NULL REFERENCES municipalities(id),
    venue                   TEXT    NOT NULL DEFAULT '',
    address                 TEXT    NOT NULL DEFAULT '',
    starts_at               INTEGER NOT NULL,
    ends_at                 INTEGER,
    registration_required   INTEGER NOT NULL DEFAULT 0 CHECK (registration_required IN (0, 1)),
    cost_text               TEXT    NOT NULL DEFAULT '',
    contact_email           TEXT    NOT NULL DEFAULT '',
    state                   TEXT    NOT NULL DEFAULT 'pending'
                                    CHECK (state IN ('draft', 'pending', 'published', 'rejected', 'hidden', 'expired', 'archived')),
    rejection_reason        TEXT,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    published_at            INTEGER,
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX events_by_state_start ON events(state, starts_at);
CREATE INDEX events_by_municipality ON events(municipality_id, state, starts_at);
CREATE INDEX events_by_organisation ON events(organisation_id, state, starts_at);

CREATE TABLE event_topics (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    topic_id  INTEGER NOT NULL REFERENCES topics(id),
    PRIMARY KEY (event_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX event_topics_by_topic ON event_topics(topic_id, event_id);
