-- Accounts, sessions, e-mail links, organisation membership, posting fields, uploaded images and the
-- mail outbox. Secrets are never stored: session ids and e-mail link tokens are kept as SHA-256
-- hashes, passwords as Argon2id strings.

-- users.role is the account's role: 'resident', 'staff' or 'admin'. Membership of organisations lives
-- in organisation_members ('organisation_member' stays allowed for rows written before it existed).
ALTER TABLE users ADD COLUMN consented_at INTEGER;
ALTER TABLE users ADD COLUMN password_changed_at INTEGER;
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
CREATE INDEX users_unconfirmed ON users(email_confirmed_at, created_at);

-- A session is usable while now < expires_at (absolute lifetime) and now < last_seen_at + idle limit.
CREATE TABLE sessions (
    token_hash    BLOB    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

-- Single-use links sent by e-mail. `email` is the address the link was sent to (for change_email the
-- new address, for invitation the invited address).
CREATE TABLE email_tokens (
    token_hash       BLOB    PRIMARY KEY,
    purpose          TEXT    NOT NULL
                             CHECK (purpose IN ('confirm_account', 'reset_password', 'change_email', 'invitation')),
    user_id          INTEGER REFERENCES users(id) ON DELETE CASCADE,
    organisation_id  INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    email            TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER
) WITHOUT ROWID;
CREATE INDEX email_tokens_by_user ON email_tokens(user_id, purpose);
CREATE INDEX email_tokens_by_expiry ON email_tokens(expires_at);

CREATE TABLE organisation_members (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role             TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX organisation_members_by_user ON organisation_members(user_id, organisation_id);

ALTER TABLE organisations ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_image TEXT;
-- Trusted organisations publish their own listings without waiting for staff.
ALTER TABLE organisations ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1));
ALTER TABLE organisations ADD COLUMN created_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- Posting fields. time_commitment 'once' uses one_off_at, 'weekly' uses hours_per_week.
ALTER TABLE listings ADD COLUMN address_text TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN one_off_at INTEGER;
ALTER TABLE listings ADD COLUMN hours_per_week INTEGER CHECK (hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 60);
ALTER TABLE listings ADD COLUMN starts_at INTEGER;
ALTER TABLE listings ADD COLUMN ends_at INTEGER;
ALTER TABLE listings ADD COLUMN minimum_age INTEGER CHECK (minimum_age IS NULL OR minimum_age BETWEEN 0 AND 99);
ALTER TABLE listings ADD COLUMN police_clearance INTEGER NOT NULL DEFAULT 0 CHECK (police_clearance IN (0, 1));
ALTER TABLE listings ADD COLUMN barrier_free INTEGER NOT NULL DEFAULT 0 CHECK (barrier_free IN (0, 1));
ALTER TABLE listings ADD COLUMN insurance_text TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN expense_allowance_text TEXT NOT NULL DEFAULT '';
-- How people get in touch: always through the site's contact form, optionally also by phone.
ALTER TABLE listings ADD COLUMN show_phone INTEGER NOT NULL DEFAULT 0 CHECK (show_phone IN (0, 1));
ALTER TABLE listings ADD COLUMN dropoff_text TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN delivery TEXT CHECK (delivery IS NULL OR delivery IN ('pickup', 'delivery', 'both'));
ALTER TABLE listings ADD COLUMN image_name TEXT;
-- A poster closes a listing (found someone, items gone) and may re-open it; closed is never public.
ALTER TABLE listings ADD COLUMN closed_at INTEGER;
CREATE INDEX listings_by_creator ON listings(created_by_user_id, state);

-- Item lines of a donation need (what, how many).
CREATE TABLE listing_items (
    listing_id  INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
    PRIMARY KEY (listing_id, position)
) WITHOUT ROWID;

ALTER TABLE events ADD COLUMN created_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE events ADD COLUMN registration_text TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN image_name TEXT;
ALTER TABLE events ADD COLUMN closed_at INTEGER;
CREATE INDEX events_by_creator ON events(created_by_user_id, state);

-- Uploaded images, stored outside Public/ under their random `name` (which includes the extension).
CREATE TABLE images (
    name           TEXT    PRIMARY KEY,
    content_type   TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    byte_size      INTEGER NOT NULL CHECK (byte_size BETWEEN 1 AND 2097152),
    owner_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
) WITHOUT ROWID;

-- Every e-mail goes through the outbox; a delivery worker sends what is due and retries with back-off.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    text_body        TEXT    NOT NULL,
    message          BLOB    NOT NULL,
    message_id       TEXT    NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    failed_at        INTEGER,
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, failed_at, next_attempt_at);
