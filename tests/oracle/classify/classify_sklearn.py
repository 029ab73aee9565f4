#!/usr/bin/python3
"""Oracle for classify/: fits scikit-learn on fixture.tsv and writes expected.txt, which
tests/test_classify.c reads.  Run from the repo root with Debian's python3-sklearn:
    /usr/bin/python3 tests/oracle/classify/classify_sklearn.py
Model: TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=M) followed by
LogisticRegression(C=C, class_weight=None|'balanced', solver='lbfgs', tol=1e-10, max_iter=10000),
i.e. sklearn's defaults except the tight convergence.

expected.txt is tab-separated, one record a line (strings escaped as in fixture.tsv):
  analyze <input> <term>...        build_analyzer() output for a tricky or random input
  case <name> <C> <balanced> <min_df> <rows>    rows: all = every train row, imb = train rows
                                   with label 1 or an index (among train rows) divisible by 4
  n_train/n_terms/intercept/idf_sum/coef_sum/coef_abs_sum <value>
  idf <term> <value>   coef <term> <value>   (a sample of terms)
  prob <fixture row> <P(y=1)>      every fixture row (0-based, header excluded)
  test_accuracy <value>            accuracy on the split=test rows
  intercept_opt, coef_opt_sum, coef_opt_abs_sum, prob_opt <row> <value>   the same after polishing sklearn's solution to the
                                   exact optimum (scipy L-BFGS-B, ftol=0, gtol=1e-14)
  cv_prob <row> <value>            out-of-fold P(y=1) with fold = (index among train rows) % 5
  cv <accuracy> <precision> <recall> <f1> <auc>   metrics of those out-of-fold predictions
  end
"""
import os, random, sys

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import expit
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))


def unesc(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s):
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def esc(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')


def g(x):
    return repr(float(x))


rows = []
with open(os.path.join(HERE, 'fixture.tsv'), encoding='utf-8') as fh:
    next(fh)
    for line in fh:
        split, label, source, text = line.rstrip('\n').split('\t')
        rows.append((split, label, source, unesc(text)))
texts = [r[3] for r in rows]
train = [i for i, r in enumerate(rows) if r[0] == 'train']
test = [i for i, r in enumerate(rows) if r[0] == 'test']

TRICKY = [
    "Hello, World! It's a dog's-life... isn't it?",
    "I have 2 cats, 10 dogs and 3.14 birds; 1st_place __init__ x_y a_ _",
    "don\u2019t won't can't \u2018quoted\u2019 \u201cdouble\u201d",
    "\u00c9COLE \u00dcber na\u00efve caf\u00e9 fa\u00e7ade \u00c0\u00d6\u00d8\u00de \u00dfTRASSE \u1e9eE \u00ff\u0178",
    "\u0130stanbul \u0130I \u0131\u0131 KELV\u212aN \u212bngstr\u00f6m",
    "\u03a3\u039f\u03a6\u039f\u03a3 \u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u03a3 \u0391\u03a3' \u0391\u03a3.\u0392 \u0391\u03a3\u0301 \u03a3\u0391",
    "\u041f\u0420\u0418\u0412\u0415\u0422 \u041c\u0438\u0440 \u0401\u041b\u041a\u0410 \u0490\u0430\u043d\u043e\u043a",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \ud55c\uad6d\uc5b4 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0663\u0664\u0665",
    "x\u00b2y\u00b3 \u00bd \u216b\u216c 2\u00b2 \u2460\u2461 \u00aa\u00ba",
    "cafe\u0301 s\u0301x naive\u0308 e\u0301e\u0301",
    "\u01c4EMAL \u01c5emal \u01c8ubljana \u1f88\u1f89",
    "I \u2764\ufe0f pizza \U0001f355\U0001f355 email@example.com http://x.org/a_b?q=1",
    "tab\tand\nnewline\r\nand  spaces",
    "\uff21\uff22\uff23 \uff44\uff45\uff46 \U00010400\U00010401 \U0001d400\U0001d401",
    "a b c",
    "the the the cat the cat",
    "\u00a0non\u00a0breaking\u2003em\u2003space",
]


def sample_terms(vocab, coef):
    terms = sorted(vocab, key=vocab.get)
    pick = set(terms[::97])
    order = np.argsort(-np.abs(coef))
    pick.update(terms[j] for j in order[:10])
    pick.update([t for t in terms if any(ord(c) > 127 for c in t)][:10])
    return sorted(pick)


def fit(train_rows, C, balanced, min_df):
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df)
    X = vec.fit_transform([texts[i] for i in train_rows])
    y = np.array([int(rows[i][1]) for i in train_rows])
    clf = LogisticRegression(C=C, class_weight='balanced' if balanced else None,
                             tol=1e-10, max_iter=10000)
    clf.fit(X, y)
    return vec, clf, X, y


def polish(X, y, C, sw, w0, b0):
    """Minimises 0.5|w|^2 + C sum sw_i logloss_i from sklearn's solution, to the precision limit.
    Returns the solution and |grad| before and after."""
    ys = 2 * y - 1

    def f(v):
        z = X @ v[:-1] + v[-1]
        t = -C * sw * ys * expit(-ys * z)
        return (0.5 * v[:-1] @ v[:-1] + C * (sw * np.logaddexp(0, -ys * z)).sum(),
                np.concatenate([v[:-1] + X.T @ t, [t.sum()]]))

    v0 = np.r_[w0, b0]
    res = minimize(f, v0, jac=True, method='L-BFGS-B',
                   options={'ftol': 0, 'gtol': 1e-14, 'maxiter': 100000, 'maxcor': 30})
    norm = lambda v: float(np.sqrt(f(v)[1] @ f(v)[1]))
    return res.x, norm(v0), norm(res.x)


out = open(os.path.join(HERE, 'expected.txt'), 'w', encoding='utf-8', newline='\n')
w = lambda *f: out.write('\t'.join(str(x) for x in f) + '\n')
out.write(f'# generated by tests/oracle/classify/classify_sklearn.py: python {sys.version.split()[0]}, '
          f'sklearn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}\n')

# Random strings over letters, digits, marks, punctuation, spaces and case-special characters.
ALPHABET = list("abcXYZ019_ .,;'-!?\t\n") + [chr(c) for c in (
    0xe9, 0xc9, 0xdf, 0x130, 0x3a3, 0x391, 0x301, 0x308, 0x2019, 0xb2, 0xbd, 0x2160, 0x4e00, 0x3042,
    0x661, 0x200b, 0xa0, 0x2003, 0x1f600, 0x10400, 0x1d400, 0x5d0, 0x627, 0xe01, 0xe31, 0x93e, 0x915,
    0x2bc, 0x2c6, 0x203f, 0xff21, 0x24b6, 0x2070, 0x1e9e, 0x345, 0x1f88, 0x212a)]
rng = random.Random(7)
RANDOM = []
while len(RANDOM) < 300:
    s = ''.join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30)))
    if s.strip(' \t\n\r\v\f'):     # the C side refuses blank texts
        RANDOM.append(s)

analyzer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).build_analyzer()
for s in TRICKY + RANDOM:
    w('analyze', esc(s), *[esc(t) for t in analyzer(s)])

CASES = [('default', 1.0, 0, 1, 'all'), ('c10_mindf2', 10.0, 0, 2, 'all'),
         ('balanced_imb', 1.0, 1, 1, 'imb')]
for name, C, balanced, min_df, subset in CASES:
    tr = train if subset == 'all' else [i for k, i in enumerate(train)
                                         if rows[i][1] == '1' or k % 4 == 0]
    vec, clf, X, y = fit(tr, C, balanced, min_df)
    vocab = vec.vocabulary_
    coef = clf.coef_[0]
    idf = vec.idf_
    w('case', name, g(C), balanced, min_df, subset)
    w('n_train', len(tr))
    w('n_terms', len(vocab))
    w('intercept', g(clf.intercept_[0]))
    w('idf_sum', g(idf.sum()))
    w('coef_sum', g(coef.sum()))
    w('coef_abs_sum', g(np.abs(coef).sum()))
    for t in sample_terms(vocab, coef):
        w('idf', esc(t), g(idf[vocab[t]]))
        w('coef', esc(t), g(coef[vocab[t]]))
    P = clf.predict_proba(vec.transform(texts))[:, 1]
    for i, p in enumerate(P):
        w('prob', i, g(p))
    yt = np.array([int(rows[i][1]) for i in test])
    w('test_accuracy', g(accuracy_score(yt, (P[test] > 0.5).astype(int))))
    # sklearn's lbfgs stops on its relative-reduction test (scipy's ftol) before tol=1e-10 is
    # met; polishing its solution shows how far that is from the optimum, and gives a reference
    # for the C solver that is tighter than 1e-4.
    sw = np.ones(len(y))
    if balanced:
        sw = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    v, gn0, gn = polish(X, y, C, sw, coef, clf.intercept_[0])
    Po = expit(vec.transform(texts) @ v[:-1] + v[-1])
    out.write(f'# sklearn lbfgs: n_iter {clf.n_iter_[0]}, |grad| {gn0:.3g}; polished: |grad| {gn:.3g}, '
              f'max |P_sklearn - P_polished| {np.abs(P - Po).max():.3g}\n')
    w('intercept_opt', g(v[-1]))
    w('coef_opt_sum', g(v[:-1].sum()))
    w('coef_opt_abs_sum', g(np.abs(v[:-1]).sum()))
    for i, p in enumerate(Po):
        w('prob_opt', i, g(p))
    if name == 'default':
        # Out-of-fold predictions with the fold of train row k = k % 5.
        fold = np.arange(len(tr)) % 5
        oof = np.zeros(len(tr))
        for f in range(5):
            fit_rows = [tr[k] for k in range(len(tr)) if fold[k] != f]
            v2, c2, _, _ = fit(fit_rows, C, balanced, min_df)
            held = [k for k in range(len(tr)) if fold[k] == f]
            oof[held] = c2.predict_proba(v2.transform([texts[tr[k]] for k in held]))[:, 1]
        for k in range(len(tr)):
            w('cv_prob', tr[k], g(oof[k]))
        pred = (oof > 0.5).astype(int)
        w('cv', g(accuracy_score(y, pred)), g(precision_score(y, pred, zero_division=0)),
          g(recall_score(y, pred, zero_division=0)), g(f1_score(y, pred, zero_division=0)),
          g(roc_auc_score(y, oof)))
    w('end')
out.close()
print('wrote', out.name, file=sys.stderr)
