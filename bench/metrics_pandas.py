#!/usr/bin/env python3
"""bench/metrics_pandas.py -- the pandas/numpy script a user would write instead of `psyfaith metrics`.

    python3 bench/metrics_pandas.py STORE.db OUT.csv
    python3 bench/metrics_pandas.py --compare PSYFAITH.csv OUT.csv

Reads the responses from the same SQLite store with pandas.read_sql and computes what
`psyfaith metrics` computes (without bootstrap), by the definitions of `psyfaith metrics --help`:
majority vote per subject x item over repetitions (ties: nearest the middle, then lower), reverse
keying on the nominal range, per-item means prorated at 80 % answered; TrC (mean pairwise
repetition r per subject, then over subjects), Cronbach's alpha with pairwise covariances and
zero-variance items dropped (raw, standardised, alpha-if-deleted, Feldt CI), split-half (odd/even
Spearman-Brown; every split up to 20 items), ICC(1,1)/(A,1)/(C,1) from the two-way ANOVA mean
squares with psych's bounds, ExC between instruments and heterotrait r with Fisher CIs, the
response-style rates, and z / percentile against the human norms.  Writes tidy CSV
(metric,instrument,instrument_b,dimension,item,value,ci_low,ci_high,n) and prints the time spent
after the imports on stderr.  --compare (standard library only) matches its rows with the output of
`psyfaith metrics --format csv` and prints whether every value, CI and n agree to 1e-9.  BC needs the classifier (no CrS in the bench store) and steer_* needs
persona levels (none), so neither is computed here.
"""
import csv
import itertools
import sqlite3
import sys
import time


def compare(psyfaith_csv, pandas_csv):
    """Prints one line: whether every value of pandas_csv agrees with psyfaith's; 0 if so."""
    def load(path):
        with open(path, newline="", encoding="utf-8") as fh:
            return {(r["metric"], r["instrument"], r["instrument_b"], r["dimension"], r["item"]): r
                    for r in csv.DictReader(fh)}
    ours, theirs = load(psyfaith_csv), load(pandas_csv)
    checked, worst, bad = 0, 0.0, []
    for key, t in theirs.items():
        o = ours.get(key)
        if o is None:
            bad.append("%s: no such psyfaith row" % "/".join(key))
            continue
        for col in ("value", "ci_low", "ci_high", "n"):
            a, b = o[col], t[col]
            if col != "value" and b == "":
                continue            # not computed by the pandas script
            if (a == "") != (b in ("", "nan")):
                bad.append("%s %s: psyfaith '%s', pandas '%s'" % ("/".join(key), col, a, b))
                continue
            if a == "":
                continue
            d = abs(float(a) - float(b))
            worst = max(worst, d / max(1.0, abs(float(a))))
            checked += 1
            if d > 1e-9 * max(1.0, abs(float(a))):
                bad.append("%s %s: psyfaith %s, pandas %s" % ("/".join(key), col, a, b))
    metrics = sorted({k[0] for k in theirs})
    if bad:
        print("NO: %d of %d numbers differ, e.g. %s" % (len(bad), checked + len(bad), "; ".join(bad[:3])))
        return 1
    print("yes: %d numbers (values, CIs, n) of %d rows, %d metrics, largest relative difference %.1e" %
          (checked, len(theirs), len(metrics), worst))
    return 0


if len(sys.argv) == 4 and sys.argv[1] == "--compare":
    sys.exit(compare(sys.argv[2], sys.argv[3]))

T_START = time.perf_counter()
import numpy as np
import pandas as pd
from scipy import stats
T_IMPORTED = time.perf_counter()

DIMS = ["EXT", "AGR", "CONS", "EMO", "OPEN"]
MIN_SHARE = 0.8
LEVEL = 0.95


def pearson(x, y):
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return np.nan, len(x)
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1, 1)), len(x)


def fisher_ci(r, n):
    if n < 4 or np.isnan(r):
        return np.nan, np.nan
    z, s, q = np.arctanh(r), 1 / np.sqrt(n - 3), stats.norm.ppf((1 + LEVEL) / 2)
    return np.tanh(z - s * q), np.tanh(z + s * q)


def alpha_from_cov(C):
    k = C.shape[0]
    total, tr = C.sum(), np.trace(C)
    if k < 2 or abs(total) <= 1e-12 * tr or total < 0:
        return np.nan
    return (1 - tr / total) * k / (k - 1)


def main():
    db, out_path = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db)
    r = pd.read_sql("SELECT r.id, r.subject_id, r.item_id, r.rep, r.status, r.option, i.code, i.position, "
                    "i.dimension, i.key, n.name AS instrument, n.n_options AS K "
                    "FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id",
                    con)
    for c in ("status", "code", "dimension", "instrument"):
        r[c] = r[c].astype("category")
    subjects = pd.read_sql("SELECT id AS subject_id, model FROM subject", con)
    items = pd.read_sql("SELECT i.id AS item_id, i.code, i.position, i.dimension, n.name AS instrument "
                        "FROM item i JOIN instrument n ON n.id = i.instrument_id", con)
    norms = pd.read_sql("SELECT instrument, dimension, population, mean, sd FROM norm "
                        "WHERE mean IS NOT NULL AND sd IS NOT NULL ORDER BY id", con)
    con.close()
    T_READ = time.perf_counter()

    rows = []

    def emit(metric, inst, dim, value, n, inst_b="", item="", lo=np.nan, hi=np.nan):
        rows.append((metric, inst, inst_b, dim, item, value, lo, hi, n))

    r["mid"] = (r.K + 1) / 2
    ok = r[(r.status == "ok") & (r.option >= 1) & (r.option <= r.K)].copy()
    ok["score"] = np.where(ok.key > 0, ok.option, ok.K + 1 - ok.option)

    # majority vote per subject x item (ties: nearest the middle, then the lower option)
    cnt = ok.groupby(["subject_id", "item_id", "option", "key", "K", "mid"]).size().reset_index(name="n")
    cnt["dist"] = (cnt.option - cnt.mid).abs()
    vote = cnt.sort_values(["subject_id", "item_id", "n", "dist", "option"],
                           ascending=[True, True, False, True, True]).drop_duplicates(["subject_id", "item_id"])
    vote["score"] = np.where(vote.key > 0, vote.option, vote.K + 1 - vote.option)
    vote = vote.merge(items, on="item_id")

    # the first ok answer of each subject x item x repetition, per block
    rep_scores = ok.sort_values("id").drop_duplicates(["subject_id", "item_id", "rep"])
    rep_scores = dict(iter(rep_scores.groupby(["instrument", "dimension"])))

    answered = set(r.instrument.unique())
    blocks = sorted({(i, d) for i, d in zip(items.instrument, items.dimension) if i in answered},
                    key=lambda b: (b[0], DIMS.index(b[1])))
    block_items = {b: g.sort_values("position") for b, g in items.groupby(["instrument", "dimension"])}
    reps_of = r.groupby("instrument").rep.unique().apply(np.sort).to_dict()
    voted = {b: g.pivot(index="subject_id", columns="item_id", values="score")
             for b, g in vote.groupby(["instrument", "dimension"])}

    score = {}      # block -> per-item mean per subject (NaN when too few items answered)
    for b in blocks:
        m = voted[b].reindex(columns=block_items[b].item_id)
        answered = m.notna().sum(axis=1)
        s = m.mean(axis=1)
        s[answered < MIN_SHARE * m.shape[1] - 1e-9] = np.nan
        score[b] = s.reindex(subjects.subject_id)

    # ---- reliability per block
    for b in blocks:
        inst, dim = b
        cols = block_items[b].item_id.to_numpy()
        codes = block_items[b].code.to_numpy()
        m = voted[b].reindex(columns=cols)
        # TrC
        g = rep_scores[b]
        wide = g.pivot_table(index=["subject_id", "item_id"], columns="rep", values="score", aggfunc="first")
        per = []
        for sid, w in wide.groupby(level=0):
            if sid not in m.index:
                continue
            c = w.corr().to_numpy()
            v = c[np.triu_indices_from(c, 1)]
            v = v[~np.isnan(v)]
            if len(v):
                per.append(v.mean())
        emit("TrC", inst, dim, np.mean(per) if per else np.nan, len(per))
        # alpha family on the voted matrix, pairwise covariances, zero-variance items dropped
        n = len(m)
        sd = m.std()
        keep = [j for j, c in enumerate(cols) if m[c].notna().sum() >= 2 and sd[c] > 0]
        C = m[cols[keep]].cov().to_numpy()
        a = alpha_from_cov(C)
        k = len(keep)
        qf = stats.f.ppf
        lo = 1 - (1 - a) * qf(0.975, n - 1, (n - 1) * (k - 1))
        hi = 1 - (1 - a) * qf(0.025, n - 1, (n - 1) * (k - 1))
        emit("InC", inst, dim, a, n, lo=lo, hi=hi)
        d = np.sqrt(np.diag(C))
        R = C / np.outer(d, d)
        np.fill_diagonal(R, 1.0)
        emit("std_alpha", inst, dim, (1 - k / R.sum()) * k / (k - 1) if R.sum() > 0 else np.nan, n)
        for j, c in enumerate(cols):
            v = np.nan
            if j in keep and k >= 3:
                rest = [x for x in range(k) if keep[x] != j]
                v = alpha_from_cov(C[np.ix_(rest, rest)])
            emit("alpha_if_deleted", inst, dim, v, n, item=codes[j])
        in_a = np.array([keep[i] % 2 == 0 for i in range(k)])
        aa, bb, ab = C[np.ix_(in_a, in_a)].sum(), C[np.ix_(~in_a, ~in_a)].sum(), C[np.ix_(in_a, ~in_a)].sum()
        rr = ab / np.sqrt(aa * bb)
        emit("split_half_sb", inst, dim, 2 * rr / (1 + rr), n)
        if k <= 20:
            total = R.sum()
            rbs = []
            for A in itertools.combinations(range(k), k // 2):
                if k % 2 == 0 and A[0] != 0:
                    continue
                mask = np.zeros(k, bool)
                mask[list(A)] = True
                rbs.append(4 * R[np.ix_(mask, ~mask)].sum() / total)
            emit("split_half_mean", inst, dim, np.mean(rbs), n)
            emit("split_half_max", inst, dim, np.max(rbs), n)
            emit("split_half_min", inst, dim, np.min(rbs), n)
        else:
            for w in ("split_half_mean", "split_half_max", "split_half_min"):
                emit(w, inst, dim, np.nan, n)
        # ICC over repetitions: per-item mean of each repetition, complete subjects only
        reps = reps_of[inst]
        rs = g.pivot_table(index="subject_id", columns="rep", values="score", aggfunc="mean")
        na = g.groupby(["subject_id", "rep"]).size().unstack()
        rs = rs.where(na >= MIN_SHARE * len(cols) - 1e-9).reindex(index=m.index, columns=reps).dropna()
        x = rs.to_numpy()
        nn, kk = x.shape
        gm = x.mean()
        ssr = kk * ((x.mean(axis=1) - gm) ** 2).sum()
        ssc = nn * ((x.mean(axis=0) - gm) ** 2).sum()
        sse = ((x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + gm) ** 2).sum()
        msb, msj, mse = ssr / (nn - 1), ssc / (kk - 1), sse / ((nn - 1) * (kk - 1))
        msw = (ssc + sse) / (nn * (kk - 1))
        q = 1 - (1 - LEVEL) / 2
        f1, f3 = msb / msw, msb / mse
        icc1 = (msb - msw) / (msb + (kk - 1) * msw)
        icc2 = (msb - mse) / (msb + (kk - 1) * mse + kk * (msj - mse) / nn)
        icc3 = (msb - mse) / (msb + (kk - 1) * mse)
        fl1, fu1 = f1 / qf(q, nn - 1, nn * (kk - 1)), f1 * qf(q, nn * (kk - 1), nn - 1)
        fl3, fu3 = f3 / qf(q, nn - 1, (nn - 1) * (kk - 1)), f3 * qf(q, (nn - 1) * (kk - 1), nn - 1)
        fj = msj / mse
        aa2 = nn * (1 + (kk - 1) * icc2) - kk * icc2
        vv = (kk - 1) * (nn - 1) * (kk * icc2 * fj + aa2) ** 2 / ((nn - 1) * kk * kk * icc2 ** 2 * fj ** 2 + aa2 ** 2)
        f_u, f_l = qf(q, nn - 1, vv), qf(q, vv, nn - 1)
        cc = kk * msj + (kk * nn - kk - nn) * mse
        emit("ICC(1,1)", inst, dim, icc1, nn, lo=(fl1 - 1) / (fl1 + kk - 1), hi=(fu1 - 1) / (fu1 + kk - 1))
        emit("ICC(A,1)", inst, dim, icc2, nn, lo=nn * (msb - f_u * mse) / (f_u * cc + nn * msb),
             hi=nn * (f_l * msb - mse) / (cc + nn * f_l * msb))
        emit("ICC(C,1)", inst, dim, icc3, nn, lo=(fl3 - 1) / (fl3 + kk - 1), hi=(fu3 - 1) / (fu3 + kk - 1))

    # ---- validity: ExC between instruments, heterotrait r within one
    conv = {b: [] for b in blocks}
    for i, a in enumerate(blocks):
        for b in blocks[i + 1:]:
            if a[1] != b[1] or a[0] == b[0]:
                continue
            rv, n = pearson(score[a].to_numpy(), score[b].to_numpy())
            lo, hi = fisher_ci(rv, n)
            emit("ExC", a[0], a[1], rv, n, inst_b=b[0], lo=lo, hi=hi)
            if not np.isnan(rv):
                conv[a].append(rv)
                conv[b].append(rv)
    for b in blocks:
        x = score[b].dropna()
        rs = [pearson(x.to_numpy(), score[o].reindex(x.index).to_numpy())[0]
              for o in blocks if o[0] == b[0] and o != b]
        rs = [abs(v) for v in rs if not np.isnan(v)]
        emit("heterotrait_r", b[0], b[1], np.mean(rs) if rs else np.nan, len(x))

    # ---- response style: per subject over every repetition, then the mean over subjects
    valid = r[(r.status != "ok") | ((r.option >= 1) & (r.option <= r.K))]
    by = valid.groupby(["instrument", "dimension", "subject_id"])
    okv = valid[valid.status == "ok"]
    opt = okv.groupby(["instrument", "dimension", "subject_id", "option"]).size().unstack(fill_value=0)
    st = by.status.value_counts().unstack(fill_value=0).reindex(columns=["ok", "refusal", "unparsed", "ambiguous"],
                                                                 fill_value=0)
    okv = okv.assign(agree=okv.option > okv.mid, pos=okv.key > 0)
    acq = okv.groupby(["instrument", "dimension", "subject_id", "pos"]).agree.mean().unstack()
    for b in blocks:
        K = int(r.loc[r.instrument == b[0], "K"].iloc[0])
        s = st.loc[b]
        o = opt.loc[b].reindex(index=s.index, columns=range(1, K + 1), fill_value=0) if b in opt.index else None
        n_ok = o.sum(axis=1)
        allr = s.sum(axis=1)
        p = o.div(n_ok, axis=0)
        ent = -(p * np.log2(p.where(p > 0, 1))).sum(axis=1)[n_ok > 0]
        neutral = (o[(K + 1) // 2] / n_ok)[n_ok > 0] if K % 2 else pd.Series(dtype=float)
        ac = acq.loc[b].dropna() if b in acq.index else pd.Series(dtype=float)
        ac = ((ac[True] + ac[False]) / 2) if len(ac) else ac
        for name, v in (("neutral_rate", neutral), ("acquiescence", ac), ("option_entropy", ent),
                        ("refusal_rate", (s.refusal / allr)[allr > 0]), ("unparsed_rate", (s.unparsed / allr)[allr > 0])):
            emit(name, b[0], b[1], v.mean() if len(v) else np.nan, len(v))

    # ---- norms: per model, the mean of its subjects' scores against each norm
    models = subjects.set_index("subject_id").model
    for nr in norms.itertuples():
        b = (nr.instrument, nr.dimension)
        if b not in score:
            continue
        for model, v in score[b].groupby(models.reindex(score[b].index)):
            v = v.dropna()
            if not len(v):
                continue
            z = (v.mean() - nr.mean) / nr.sd
            emit("norm_z", nr.instrument, nr.dimension, z, len(v), inst_b=nr.population, item=model)
            emit("norm_percentile", nr.instrument, nr.dimension, 100 * stats.norm.cdf(z), len(v),
                 inst_b=nr.population, item=model)

    pd.DataFrame(rows, columns=["metric", "instrument", "instrument_b", "dimension", "item", "value", "ci_low",
                                "ci_high", "n"]).to_csv(out_path, index=False, float_format="%.17g")
    t_end = time.perf_counter()
    print("imports %.3f s, read_sql %.3f s, compute + write %.3f s" %
          (T_IMPORTED - T_START, T_READ - T_IMPORTED, t_end - T_READ), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
