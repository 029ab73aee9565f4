-- psyfaith store schema: the single source of truth, compiled into the binary (build/schema.h).
-- PRAGMA user_version holds the schema version (store/store.c: STORE_SCHEMA_VERSION).
-- Checks against a list are written as OR chains: SQLite builds a temporary table for an IN list
-- on every insert, which cost a fifth of ingest time (perf, 500k lines).
-- Dimensions are always the canonical codes EXT AGR CONS EMO OPEN; neuroticism is reverse-keyed
-- into EMO when items are loaded.

CREATE TABLE IF NOT EXISTS source (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,             -- as given on the command line ('-' for stdin)
    sha256      TEXT NOT NULL,             -- content hash; with mapping, the identity used for re-ingest checks
    format      TEXT NOT NULL,             -- jsonl | csv | json | wide
    mapping     TEXT NOT NULL DEFAULT '',  -- the canonical mapping text (profile lines, jq program text)
    lines       INTEGER NOT NULL DEFAULT 0,
    records     INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (sha256, mapping)               -- the same file under two mappings is two sources
);

CREATE TABLE IF NOT EXISTS instrument (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    n_options INTEGER NOT NULL DEFAULT 5 CHECK (n_options BETWEEN 2 AND 11),
    origin    TEXT                          -- file it was loaded from
);

CREATE TABLE IF NOT EXISTS item (
    id            INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instrument(id) ON DELETE CASCADE,
    code          TEXT NOT NULL,            -- the bank's own item id
    position      INTEGER NOT NULL,         -- 1-based order in the bank
    dimension     TEXT NOT NULL CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    key           INTEGER NOT NULL CHECK (key = 1 OR key = -1),
    text          TEXT NOT NULL,
    norm_text     TEXT NOT NULL,            -- case, spaces, punctuation, leading You/I folded
    UNIQUE (instrument_id, code)
);
CREATE INDEX IF NOT EXISTS item_by_text ON item(instrument_id, norm_text);
CREATE INDEX IF NOT EXISTS item_by_dimension ON item(instrument_id, dimension);

-- A subject is (model, temperature, persona, condition).  SQLite's UNIQUE treats NULLs as
-- distinct, so the key is an expression index over non-NULL stand-ins.  condition is the
-- experimental condition (free text, orthogonal to persona); NULL is the baseline, and ingest
-- never stores '' (an empty or 'baseline' condition is stored as NULL).  It is the last column
-- because schema version 2 added it to version-1 stores with ALTER TABLE (store/store.c).
CREATE TABLE IF NOT EXISTS subject (
    id            INTEGER PRIMARY KEY,
    model         TEXT NOT NULL,
    temperature   REAL,
    persona       TEXT,
    persona_trait TEXT,                     -- from a persona of the form TRAIT=LEVEL
    persona_level REAL,
    condition     TEXT CHECK (condition IS NULL OR condition <> '')
);
CREATE UNIQUE INDEX IF NOT EXISTS subject_key
    ON subject(model, coalesce(temperature, 'null'), coalesce(persona, x'00'), coalesce(condition, x'00'));

-- A response's prompt design factors (issue 14, part 3: metrics --metric varcomp), free text, each
-- NULL when not given.  One row per distinct triple (a study has a handful), referenced by
-- response.design_id, so that the factors cost one integer per response.  NULLs are keyed through
-- stand-ins as in subject_key.  Rows are never deleted (an unreferenced design is harmless).
CREATE TABLE IF NOT EXISTS design (
    id       INTEGER PRIMARY KEY,
    template TEXT CHECK (template IS NULL OR template <> ''),
    language TEXT CHECK (language IS NULL OR language <> ''),
    variant  TEXT CHECK (variant IS NULL OR variant <> ''),
    CHECK (template IS NOT NULL OR language IS NOT NULL OR variant IS NOT NULL)
);
CREATE UNIQUE INDEX IF NOT EXISTS design_key
    ON design(coalesce(template, x'00'), coalesce(language, x'00'), coalesce(variant, x'00'));

CREATE TABLE IF NOT EXISTS response (
    id           INTEGER PRIMARY KEY,
    subject_id   INTEGER NOT NULL REFERENCES subject(id),
    item_id      INTEGER NOT NULL REFERENCES item(id),
    rep          INTEGER NOT NULL DEFAULT 0 CHECK (rep >= 0),
    answer       TEXT,                      -- raw model text, NULL when only an option was given
    option       INTEGER,                   -- 1..K on the ascending scale; NULL unless status ok
    score        INTEGER,                   -- R+ or R- of option (reverse keying applied)
    status       TEXT NOT NULL CHECK (status = 'ok' OR status = 'ambiguous' OR status = 'refusal' OR status = 'unparsed'),
    option_order TEXT NOT NULL DEFAULT 'ascending' CHECK (option_order = 'ascending' OR option_order = 'descending'),
    run          TEXT,
    source_id    INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line         INTEGER NOT NULL,
    -- the prompt design the answer was given under (template, language, variant); NULL = none
    -- given.  Added by the 2 -> 3 upgrade (issue 14, part 3).
    design_id    INTEGER REFERENCES design(id),
    -- issue 14 part 1: the presented order of the options when the record gave `options`, as the
    -- ascending-scale option at each presented position ("5,4,3,2,1"); NULL = as option_order says
    presented    TEXT
);
-- A subject's responses in (rep, item) order: files come repetition by repetition (a run answers
-- the items one after another), so each new response extends its subject's last entries, and a
-- large load keeps the index up in a small cache.  Keyed (subject, item, rep) up to version 3, every
-- repetition of a file put its rows in the middle of the index, which outgrew any cache (issue 16).
-- A reader groups a subject's (item, rep) answers itself (metrics/scores_reps.c).
CREATE INDEX IF NOT EXISTS response_by_subject ON response(subject_id, rep, item_id);
-- No index on response(source_id): keeping it up cost a tenth of ingest time (500k lines), and the
-- one query that needs it, the cascade of `ingest --force`, scans the table once in a fraction of a
-- second instead.

-- Per-option probabilities of a response (issue 14 part 5: option_probs or OpenAI logprobs), one row
-- per response that had them.  probs holds p(option 1..K) on the ascending scale as given (summed over
-- the labels or tokens naming one option); outside the mass of labels/tokens naming no option.  ev,
-- argmax and entropy (nats) are of p renormalised over the scale: NULL when the scale has no mass
-- (argmax also on an exact tie).  from_text 1: the response's option came from its text or `option`;
-- 0: the record had probabilities only and its option is the argmax.
CREATE TABLE IF NOT EXISTS response_prob (
    response_id INTEGER PRIMARY KEY REFERENCES response(id) ON DELETE CASCADE,
    probs       TEXT NOT NULL,
    outside     REAL NOT NULL CHECK (outside >= 0),
    ev          REAL,
    argmax      INTEGER,
    entropy     REAL,
    from_text   INTEGER NOT NULL CHECK (from_text IN (0, 1))
);

CREATE TABLE IF NOT EXISTS behavior (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subject(id),
    dimension   TEXT NOT NULL CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    occasion    TEXT NOT NULL,
    text        TEXT NOT NULL,
    rep         INTEGER NOT NULL DEFAULT 0,
    run         TEXT,
    probability REAL,                       -- filled by `classify apply`
    label       INTEGER,
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS behavior_by_subject ON behavior(subject_id, dimension);
CREATE INDEX IF NOT EXISTS behavior_by_source ON behavior(source_id);

CREATE TABLE IF NOT EXISTS labeled_behavior (
    id        INTEGER PRIMARY KEY,
    dimension TEXT NOT NULL CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    occasion  TEXT,
    label     INTEGER NOT NULL CHECK (label = 0 OR label = 1),
    text      TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS labeled_by_dimension ON labeled_behavior(dimension);
CREATE INDEX IF NOT EXISTS labeled_by_source ON labeled_behavior(source_id);

CREATE TABLE IF NOT EXISTS ultimatum (
    id         INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    trait      TEXT,                        -- canonical dimension code, NULL for baseline
    level      INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 9),
    offer      REAL NOT NULL CHECK (offer >= 0),
    total      REAL NOT NULL CHECK (total > 0 AND offer <= total),
    decision   INTEGER CHECK (decision = 0 OR decision = 1),   -- 1 accept, 0 reject, NULL invalid answer
    answer     TEXT,
    status     TEXT NOT NULL CHECK (status = 'ok' OR status = 'ambiguous' OR status = 'refusal' OR status = 'unparsed'),
    rep        INTEGER NOT NULL DEFAULT 0,
    run        TEXT,
    source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ultimatum_by_subject ON ultimatum(subject_id, trait, level);
CREATE INDEX IF NOT EXISTS ultimatum_by_source ON ultimatum(source_id);

-- Strategy-method responders: the minimum acceptable amount, which decides every offer at once
-- (accept iff offer >= threshold).  threshold is NULL unless status is ok.
CREATE TABLE IF NOT EXISTS ultimatum_threshold (
    id         INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    trait      TEXT,
    level      INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 9),
    threshold  REAL CHECK (threshold IS NULL OR threshold >= 0),
    total      REAL NOT NULL CHECK (total > 0 AND (threshold IS NULL OR threshold <= total)),
    answer     TEXT,
    status     TEXT NOT NULL CHECK (status = 'ok' OR status = 'ambiguous' OR status = 'refusal' OR status = 'unparsed'),
    rep        INTEGER NOT NULL DEFAULT 0,
    run        TEXT,
    source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ultimatum_threshold_by_subject ON ultimatum_threshold(subject_id);
CREATE INDEX IF NOT EXISTS ultimatum_threshold_by_source ON ultimatum_threshold(source_id);

-- Proposers (Ultimatum) and dictators: the amount given to the other player, out of total.
-- amount is NULL unless status is ok.
CREATE TABLE IF NOT EXISTS game_offer (
    id         INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    game       TEXT NOT NULL CHECK (game = 'ultimatum' OR game = 'dictator'),
    trait      TEXT,
    level      INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 9),
    amount     REAL CHECK (amount IS NULL OR amount >= 0),
    total      REAL NOT NULL CHECK (total > 0 AND (amount IS NULL OR amount <= total)),
    answer     TEXT,
    status     TEXT NOT NULL CHECK (status = 'ok' OR status = 'ambiguous' OR status = 'refusal' OR status = 'unparsed'),
    rep        INTEGER NOT NULL DEFAULT 0,
    run        TEXT,
    source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS game_offer_by_subject ON game_offer(subject_id, game);
CREATE INDEX IF NOT EXISTS game_offer_by_source ON game_offer(source_id);

CREATE TABLE IF NOT EXISTS milgram (
    id            INTEGER PRIMARY KEY,
    subject_id    INTEGER NOT NULL REFERENCES subject(id),
    trait         TEXT,
    level         TEXT CHECK (level IS NULL OR level = 'min' OR level = 'max' OR level = '1' OR level = '2' OR level = '3' OR level = '4' OR level = '5' OR level = '6' OR level = '7' OR level = '8' OR level = '9'),
    final_level   INTEGER NOT NULL CHECK (final_level >= 0),
    max_level     INTEGER NOT NULL CHECK (max_level > 0 AND final_level <= max_level),
    disobediences INTEGER NOT NULL DEFAULT 0 CHECK (disobediences >= 0),
    filtered      INTEGER NOT NULL DEFAULT 0 CHECK (filtered = 0 OR filtered = 1),
    rep           INTEGER NOT NULL DEFAULT 0,
    run           TEXT,
    source_id     INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line          INTEGER NOT NULL,
    -- the record's own outcome text (llm-milgram's obedient, frame_break, ...; NULL when none);
    -- --outcome classes it into filtered or kept.  The last column: added by the 1 -> 2 upgrade.
    outcome       TEXT
);
CREATE INDEX IF NOT EXISTS milgram_by_subject ON milgram(subject_id, trait, level);
CREATE INDEX IF NOT EXISTS milgram_by_source ON milgram(source_id);

CREATE TABLE IF NOT EXISTS milgram_step (
    id         INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    trait      TEXT,
    level      TEXT,
    run        TEXT NOT NULL,
    step       INTEGER NOT NULL CHECK (step >= 0),
    disobeyed  INTEGER NOT NULL CHECK (disobeyed = 0 OR disobeyed = 1),
    source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS milgram_step_by_run ON milgram_step(subject_id, run, step);
CREATE INDEX IF NOT EXISTS milgram_step_by_source ON milgram_step(source_id);

-- Human norms, per item on the instrument's 1..K scale.
CREATE TABLE IF NOT EXISTS norm (
    id         INTEGER PRIMARY KEY,
    instrument TEXT NOT NULL,
    dimension  TEXT NOT NULL CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    population TEXT NOT NULL,
    n          INTEGER,
    mean       REAL,
    sd         REAL CHECK (sd IS NULL OR sd > 0),
    alpha      REAL,
    source     TEXT NOT NULL,
    UNIQUE (instrument, dimension, population)
);

-- Lines that `ingest --skip-bad` left out, and why.
CREATE TABLE IF NOT EXISTS reject (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES source(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    line      INTEGER NOT NULL,
    field     TEXT,
    reason    TEXT NOT NULL
);

-- Criterion scores (RealBehavior Eq. 6), written by `classify apply`.
CREATE TABLE IF NOT EXISTS crs (
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    dimension  TEXT NOT NULL CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    method     TEXT NOT NULL CHECK (method = 'label' OR method = 'prob'),
    value      REAL NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (subject_id, dimension)
);

-- Trained text classifiers, one per dimension (classify/).
CREATE TABLE IF NOT EXISTS classifier (
    dimension    TEXT PRIMARY KEY CHECK (dimension = 'EXT' OR dimension = 'AGR' OR dimension = 'CONS' OR dimension = 'EMO' OR dimension = 'OPEN'),
    options      TEXT NOT NULL,             -- the training options, as text
    train_hash   TEXT NOT NULL,             -- sha256 over the training rows
    n_train      INTEGER NOT NULL,
    intercept    REAL NOT NULL,
    cv_folds     INTEGER,
    cv_accuracy  REAL,
    cv_precision REAL,
    cv_recall    REAL,
    cv_f1        REAL,
    cv_auc       REAL,
    trained_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS classifier_term (
    dimension TEXT NOT NULL REFERENCES classifier(dimension) ON DELETE CASCADE,
    term      TEXT NOT NULL,                -- a unigram, or a bigram joined by one space
    idf       REAL NOT NULL,
    weight    REAL NOT NULL,
    PRIMARY KEY (dimension, term)
) WITHOUT ROWID;
