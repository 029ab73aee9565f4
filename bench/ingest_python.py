#!/usr/bin/env python3
"""bench/ingest_python.py -- the ingest script a user would otherwise write, as the baseline for
`make bench`: json + sqlite3 `executemany` in one transaction, `re` for answer parsing.

    python3 bench/ingest_python.py DB FILE.jsonl

DB must be a store made by `psyfaith init` (so that both tools write the same tables, indices,
item banks and PRAGMAs: WAL, synchronous=NORMAL, foreign keys on).  It does what psyfaith's
ingest does for native JSONL: content hash and a source row, the same lookups (instrument, item by
id or by normalised text, subject cache with insert-on-miss), the same answer patterns and
statuses (ok / ambiguous / refusal / unparsed; descending option order; reverse keying),
Ultimatum decision parsing, and the validation of required fields and ranges; a bad line stops
the run with FILE:LINE and rolls back.  Rows are handed to executemany in batches of 10,000 so
memory stays flat, as psyfaith's does.  Standard library only.
"""
import hashlib
import json
import re
import sqlite3
import sys

BATCH = 10000
FLAGS = re.IGNORECASE

# The same patterns as ingest/answer.c, in Python's syntax (str patterns are Unicode-aware, as
# PCRE2_UCP makes psyfaith's).
LETTER, DIGIT, LABEL = 0, 1, 2
OPTION_PATTERNS = [
    (re.compile(r"[(\[]\s*([A-K])\s*[)\]]", FLAGS), LETTER),
    (re.compile(r"^\W{0,3}([A-K])(?:\s*[).:\-\u2013\u2014]|\s*$)", FLAGS), LETTER),
    (re.compile(r"\b(?:option|answer|choice)\s*(?:is|:|=)?\s*([A-K])\b", FLAGS), LETTER),
    (re.compile(r"[(\[]\s*(\d{1,2})\s*[)\]]", FLAGS), DIGIT),
    (re.compile(r"^\W{0,3}(\d{1,2})(?![\d.,]\d)(?!\s*(?:%|/|out of))", FLAGS), DIGIT),
    (re.compile(r"\b(?:option|answer|choice|rating|score)\s*(?:is|:|=)?\s*(\d{1,2})(?![\d.,]\d)", FLAGS), DIGIT),
    (re.compile(r"\b(very inaccurate|moderately inaccurate|neither accurate nor inaccurate|moderately accurate"
                r"|very accurate|strongly disagree|disagree strongly|disagree a little|slightly disagree"
                r"|somewhat disagree|partially disagree|neither agree nor disagree|neutral|agree a little"
                r"|slightly agree|somewhat agree|partially agree|strongly agree|agree strongly)\b", FLAGS), LABEL),
]
LABELS = {
    "very inaccurate": 1, "moderately inaccurate": 2, "neither accurate nor inaccurate": 3,
    "moderately accurate": 4, "very accurate": 5, "strongly disagree": 1, "disagree strongly": 1,
    "disagree a little": 2, "slightly disagree": 2, "somewhat disagree": 2, "partially disagree": 2,
    "neither agree nor disagree": 3, "neutral": 3, "agree a little": 4, "slightly agree": 4,
    "somewhat agree": 4, "partially agree": 4, "strongly agree": 5, "agree strongly": 5,
}
REFUSAL = re.compile(
    r"\b(?:as an ai|as an artificial intelligence|i am an ai|i'm an ai|i\u2019m an ai"
    r"|as a language model|i am a language model|i'm a language model|ai language model"
    r"|i (?:cannot|can't|can\u2019t|can not|am unable to|am not able to|won't|will not) "
    r"(?:answer|provide|rate|respond|choose|select|say|give|express|have)"
    r"|i do(?:n't|n\u2019t| not) have (?:personal|feelings|emotions|opinions|preferences|a personality)"
    r"|(?:unable|not able) to (?:answer|provide|rate|respond|choose))", FLAGS)
ACCEPT = re.compile(r"\b(?:accept(?:ed|s|ing)?|yes)\b", FLAGS)
REJECT = re.compile(r"\b(?:reject(?:ed|s|ing)?|decline(?:d|s)?|refuse(?:d|s)?|no)\b", FLAGS)
NEGATION = re.compile(r"(?:\bnot|n't|n\u2019t|\bnever|\bno)\s+(?:\w+\s+){0,2}$", FLAGS)

OK, AMBIGUOUS, REFUSED, UNPARSED = "ok", "ambiguous", "refusal", "unparsed"

DIMENSIONS = {
    "ext": ("EXT", 0), "e": ("EXT", 0), "extraversion": ("EXT", 0), "extroversion": ("EXT", 0),
    "agr": ("AGR", 0), "a": ("AGR", 0), "agreeableness": ("AGR", 0),
    "cons": ("CONS", 0), "con": ("CONS", 0), "c": ("CONS", 0), "conscientiousness": ("CONS", 0),
    "emo": ("EMO", 0), "es": ("EMO", 0), "emotional stability": ("EMO", 0),
    "emotional_stability": ("EMO", 0), "stability": ("EMO", 0),
    "n": ("EMO", 1), "neu": ("EMO", 1), "neuroticism": ("EMO", 1),
    "open": ("OPEN", 0), "o": ("OPEN", 0), "ope": ("OPEN", 0), "openness": ("OPEN", 0),
    "openness to experience": ("OPEN", 0), "intellect": ("OPEN", 0),
}
YES = {"true", "yes", "y", "1"}
NO = {"false", "no", "n", "0"}

_APOSTROPHES = re.compile("['`\u2018\u2019]")
_ASCII_PUNCT = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalise(text):
    """Item text folded as ingest/banks.c does: apostrophes vanish, ASCII punctuation and spaces
    become one space, ASCII case folds, a leading "you"/"i" goes."""
    s = _ASCII_PUNCT.sub(" ", _APOSTROPHES.sub("", text)).strip(" ").translate(_ASCII_LOWER)
    for lead in ("you ", "i "):
        if s.startswith(lead) and len(s) > len(lead):
            return s[len(lead):]
    return s


def parse_answer(text, k, descending):
    found = 0
    for pattern, kind in OPTION_PATTERNS:
        for m in pattern.finditer(text):
            g = m.group(1)
            if kind == LETTER:
                pos = ord(g.lower()) - ord("a") + 1
            elif kind == DIGIT:
                pos = int(g)
            else:
                v = LABELS.get(g.lower(), 0) if k == 5 else 0
                if v:
                    if found and found != v:
                        return AMBIGUOUS, None
                    found = v
                continue
            if 1 <= pos <= k:
                v = k + 1 - pos if descending else pos
                if found and found != v:
                    return AMBIGUOUS, None
                found = v
    if found:
        return OK, found
    return (REFUSED if REFUSAL.search(text) else UNPARSED), None


def parse_decision(text):
    saw_accept = saw_reject = False
    for m in ACCEPT.finditer(text):
        if NEGATION.search(text[max(0, m.start() - 40):m.start()]):
            saw_reject = True
        else:
            saw_accept = True
    for m in REJECT.finditer(text):
        if m.end() - m.start() == 2:
            nxt = ACCEPT.search(text, m.end())
            if nxt and nxt.start() <= m.end() + 1:
                continue        # "no accept": already counted as a negated accept
        saw_reject = True
    if saw_accept and saw_reject:
        return AMBIGUOUS, None
    if saw_accept or saw_reject:
        return OK, 1 if saw_accept else 0
    return (REFUSED if REFUSAL.search(text) else UNPARSED), None


class Bad(Exception):
    def __init__(self, field, msg):
        super().__init__(msg)
        self.field = field


def text_field(rec, name, required=False):
    v = rec.get(name)
    if v is None:
        if required:
            raise Bad(name, "missing required field")
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    raise Bad(name, "expected a string")


def number_field(rec, name, required=False):
    v = rec.get(name)
    if v is None:
        if required:
            raise Bad(name, "missing required field")
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Bad(name, "expected a number")
    return v


def int_field(rec, name, lo, hi, default, required=False):
    v = number_field(rec, name, required)
    if v is None:
        return default
    if v != int(v):
        raise Bad(name, "expected a whole number")
    if not lo <= v <= hi:
        raise Bad(name, "out of range")
    return int(v)


def bool_field(rec, name, default, required=False):
    v = rec.get(name)
    if v is None:
        if required:
            raise Bad(name, "missing required field")
        return default
    if isinstance(v, bool) or isinstance(v, (int, float)):
        if v not in (0, 1):
            raise Bad(name, "expected 0 or 1")
        return int(v)
    if isinstance(v, str):
        s = v.lower()
        if s in YES:
            return 1
        if s in NO:
            return 0
    raise Bad(name, "expected yes/no, true/false, y/n or 1/0")


def dimension_field(rec, name, required=False):
    s = text_field(rec, name, required)
    if s is None:
        return None, 0
    d = DIMENSIONS.get(s.lower())
    if not d:
        raise Bad(name, "unknown dimension")
    return d


class Ingest:
    def __init__(self, db, path):
        self.db = db
        self.path = path
        self.instruments = {}
        self.item_by_code = {}
        self.item_by_text = {}
        for item_id, code, key, norm, inst_id, name, k in db.execute(
                "SELECT i.id, i.code, i.key, i.norm_text, n.id, n.name, n.n_options "
                "FROM item i JOIN instrument n ON n.id = i.instrument_id"):
            self.instruments[name] = inst_id
            self.item_by_code[(inst_id, code)] = (item_id, key, k)
            self.item_by_text[(inst_id, norm)] = (item_id, key, k)
        self.subjects = {}
        self.rows = {t: [] for t in SQL}
        self.counts = {}
        self.status = {OK: 0, AMBIGUOUS: 0, REFUSED: 0, UNPARSED: 0}
        self.source = None

    def flush(self, table):
        rows = self.rows[table]
        if rows:
            self.db.executemany(SQL[table], rows)
            rows.clear()

    def add(self, table, row):
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(table)

    def subject(self, rec):
        model = text_field(rec, "model", True)
        if not model:
            raise Bad("model", "empty model name")
        temp = number_field(rec, "temperature")
        if temp is not None and not 0 <= temp <= 100:
            raise Bad("temperature", "out of range")
        persona = text_field(rec, "persona")
        key = (model, None if temp is None else float(temp), persona)
        sid = self.subjects.get(key)
        if sid is None:
            row = self.db.execute("SELECT id FROM subject WHERE model = ? AND temperature IS ? AND persona IS ?",
                                  key).fetchone()
            if row:
                sid = row[0]
            else:
                trait = level = None
                if persona and "=" in persona:
                    name, lvl = persona.split("=", 1)
                    d = DIMENSIONS.get(name.rstrip().lower())
                    if d and not d[1]:
                        try:
                            trait, level = d[0], float(lvl)
                        except ValueError:
                            pass
                sid = self.db.execute("INSERT INTO subject(model, temperature, persona, persona_trait, "
                                      "persona_level) VALUES (?,?,?,?,?)",
                                      (model, key[1], persona, trait, level)).lastrowid
            self.subjects[key] = sid
        return sid

    def response(self, rec, line):
        rep = int_field(rec, "rep", 0, 1000000000, 0)
        run = text_field(rec, "run")
        name = text_field(rec, "instrument", True)
        inst = self.instruments.get(name)
        if inst is None:
            raise Bad("instrument", "unknown instrument '%s'" % name)
        order = (text_field(rec, "option_order") or "ascending").lower()
        if order in ("ascending", "asc"):
            descending = False
        elif order in ("descending", "desc"):
            descending = True
        else:
            raise Bad("option_order", "expected 'ascending' or 'descending'")
        code = text_field(rec, "item")
        if code is not None:
            item = self.item_by_code.get((inst, code))
            if item is None:
                raise Bad("item", "unknown item '%s'" % code)
        else:
            text = text_field(rec, "item_text")
            if text is None:
                raise Bad("item", "a response needs 'item' or 'item_text'")
            item = self.item_by_text.get((inst, normalise(text)))
            if item is None:
                raise Bad("item_text", "no item has the text '%s'" % text)
        item_id, key, k = item
        option = int_field(rec, "option", 1, k, 0)
        answer = text_field(rec, "answer")
        if option:
            status = OK
        elif answer is not None:
            status, option = parse_answer(answer, k, descending)
        else:
            raise Bad("answer", "a response needs 'answer' or 'option'")
        score = (option if key > 0 else k + 1 - option) if status == OK else None
        sid = self.subject(rec)
        self.add("response", (sid, item_id, rep, answer, option, score, status,
                              "descending" if descending else "ascending", run, self.source, line))
        self.status[status] += 1

    def behavior(self, rec, line):
        rep = int_field(rec, "rep", 0, 1000000000, 0)
        run = text_field(rec, "run")
        dim, _ = dimension_field(rec, "dimension", True)
        occasion = text_field(rec, "occasion", True)
        text = text_field(rec, "text", True)
        if not occasion.strip():
            raise Bad("occasion", "empty text")
        if not text.strip():
            raise Bad("text", "empty text")
        self.add("behavior", (self.subject(rec), dim, occasion, text, rep, run, self.source, line))

    def labeled_behavior(self, rec, line):
        dim, reverse = dimension_field(rec, "dimension", True)
        occasion = text_field(rec, "occasion")
        label = bool_field(rec, "label", 0, True)
        text = text_field(rec, "text", True)
        if not text.strip():
            raise Bad("text", "empty text")
        if reverse:
            label = 1 - label
        self.add("labeled_behavior", (dim, occasion, label, text, self.source, line))

    def trait(self, rec):
        trait, reverse = dimension_field(rec, "trait")
        if reverse:
            raise Bad("trait", "use EMO rather than neuroticism")
        return trait

    def ultimatum(self, rec, line):
        rep = int_field(rec, "rep", 0, 1000000000, 0)
        run = text_field(rec, "run")
        trait = self.trait(rec)
        level = int_field(rec, "level", 1, 9, None)
        offer = number_field(rec, "offer", True)
        total = number_field(rec, "total")
        total = 10 if total is None else total
        if total <= 0:
            raise Bad("total", "total must be positive")
        if not 0 <= offer <= total:
            raise Bad("offer", "offer outside 0..total")
        answer = text_field(rec, "answer")
        decision = text_field(rec, "decision")
        if decision is not None:
            d = decision.lower()
            if d in ("accept", "accepted", "yes", "1", "true"):
                status, accept = OK, 1
            elif d in ("reject", "rejected", "no", "0", "false"):
                status, accept = OK, 0
            else:
                raise Bad("decision", "expected accept or reject")
        elif answer is not None:
            status, accept = parse_decision(answer)
        else:
            raise Bad("decision", "an ultimatum trial needs 'decision' or 'answer'")
        self.add("ultimatum", (self.subject(rec), trait, level, offer, total, accept, answer, status, rep, run,
                               self.source, line))

    def milgram_level(self, rec):
        s = text_field(rec, "level")
        if s is None:
            return None
        if s.lower() in ("min", "max"):
            return s.lower()
        if s.isdigit() and 1 <= int(s) <= 9:
            return str(int(s))
        raise Bad("level", "expected min, max or 1..9")

    def milgram(self, rec, line):
        rep = int_field(rec, "rep", 0, 1000000000, 0)
        run = text_field(rec, "run")
        trait = self.trait(rec)
        level = self.milgram_level(rec)
        final = int_field(rec, "final_level", 0, 1000000, 0, True)
        top = int_field(rec, "max_level", 1, 1000000, 0, True)
        disob = int_field(rec, "disobediences", 0, 1000000, 0)
        filtered = bool_field(rec, "filtered", 0)
        if final > top:
            raise Bad("final_level", "final level is above max_level")
        self.add("milgram", (self.subject(rec), trait, level, final, top, disob, filtered, rep, run,
                             self.source, line))

    def milgram_step(self, rec, line):
        trait = self.trait(rec)
        level = self.milgram_level(rec)
        step = int_field(rec, "step", 0, 1000000, 0, True)
        disobeyed = bool_field(rec, "disobeyed", 0, True)
        run = text_field(rec, "run")
        if run is None:
            raise Bad("run", "a milgram_step needs the 'run' it belongs to")
        self.add("milgram_step", (self.subject(rec), trait, level, run, step, disobeyed, self.source, line))

    def run(self):
        handlers = {"response": self.response, "behavior": self.behavior, "behaviour": self.behavior,
                    "labeled_behavior": self.labeled_behavior, "labelled_behaviour": self.labeled_behavior,
                    "ultimatum": self.ultimatum, "milgram": self.milgram, "milgram_step": self.milgram_step}
        db = self.db
        sha = hashlib.sha256()
        db.execute("BEGIN")
        self.source = db.execute("INSERT INTO source(path, sha256, format) VALUES (?, 'pending', 'jsonl')",
                                 (self.path,)).lastrowid
        lineno = records = 0
        with open(self.path, "rb") as f:
            for raw in f:
                lineno += 1
                sha.update(raw)
                if not raw.strip():
                    continue
                records += 1
                try:
                    rec = json.loads(raw)
                    if not isinstance(rec, dict):
                        raise Bad(None, "expected a JSON object")
                    kind = text_field(rec, "type") or "response"
                    handler = handlers.get(kind)
                    if handler is None:
                        raise Bad("type", "unknown record type '%s'" % kind)
                    handler(rec, lineno)
                    self.counts[kind] = self.counts.get(kind, 0) + 1
                except (ValueError, Bad) as e:
                    field = getattr(e, "field", None)
                    sys.stderr.write("%s:%d: %s%s\n" % (self.path, lineno, e,
                                                        " (field %s)" % field if field else ""))
                    db.rollback()
                    return 1
        for table in self.rows:
            self.flush(table)
        digest = sha.hexdigest()
        if db.execute("SELECT id FROM source WHERE sha256 = ?", (digest,)).fetchone():
            sys.stderr.write("skipped '%s': the same content was ingested before\n" % self.path)
            db.rollback()
            return 0
        db.execute("UPDATE source SET sha256 = ?, lines = ?, records = ? WHERE id = ?",
                   (digest, lineno, records, self.source))
        db.commit()
        sys.stderr.write("ingest_python: %s\n" % ", ".join("%d %s" % (n, k) for k, n in self.counts.items()))
        sys.stderr.write("ingest_python: responses: %d ok, %d ambiguous, %d refusal, %d unparsed\n"
                         % tuple(self.status[s] for s in (OK, AMBIGUOUS, REFUSED, UNPARSED)))
        return 0


SQL = {
    "response": "INSERT INTO response(subject_id, item_id, rep, answer, option, score, status, option_order, "
                "run, source_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "behavior": "INSERT INTO behavior(subject_id, dimension, occasion, text, rep, run, source_id, line) "
                "VALUES (?,?,?,?,?,?,?,?)",
    "labeled_behavior": "INSERT INTO labeled_behavior(dimension, occasion, label, text, source_id, line) "
                        "VALUES (?,?,?,?,?,?)",
    "ultimatum": "INSERT INTO ultimatum(subject_id, trait, level, offer, total, decision, answer, status, rep, "
                 "run, source_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "milgram": "INSERT INTO milgram(subject_id, trait, level, final_level, max_level, disobediences, filtered, "
               "rep, run, source_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "milgram_step": "INSERT INTO milgram_step(subject_id, trait, level, run, step, disobeyed, source_id, line) "
                    "VALUES (?,?,?,?,?,?,?,?)",
}


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: ingest_python.py DB FILE.jsonl\n")
        return 2
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    rc = Ingest(db, sys.argv[2]).run()
    db.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
