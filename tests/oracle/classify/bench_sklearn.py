#!/usr/bin/python3
"""Times scikit-learn on descriptions.tsv (from gen_descriptions.py): vectorise + fit, then predict.
    /usr/bin/python3 tests/oracle/classify/bench_sklearn.py descriptions.tsv
Run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset.  Two fits: sklearn's defaults (lbfgs,
tol=1e-4, max_iter=100) and the tight one the oracle uses (tol=1e-10, max_iter=10000)."""
import sys, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

labels, texts = [], []
with open(sys.argv[1], encoding='utf-8') as fh:
    for line in fh:
        l, t = line.rstrip('\n').split('\t', 1)
        labels.append(int(l))
        texts.append(t)
y = np.array(labels)
for name, kw in (('default', {}), ('tight', {'tol': 1e-10, 'max_iter': 10000})):
    t0, c0 = time.perf_counter(), time.process_time()
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    X = vec.fit_transform(texts)
    t1, c1 = time.perf_counter(), time.process_time()
    clf = LogisticRegression(**kw).fit(X, y)
    t2, c2 = time.perf_counter(), time.process_time()
    P = clf.predict_proba(vec.transform(texts))[:, 1]
    t3, c3 = time.perf_counter(), time.process_time()
    print(f'sklearn {name}: {len(texts)} texts, {len(vec.vocabulary_)} terms, nnz {X.nnz}; '
          f'vectorise {t1 - t0:.2f} s (cpu {c1 - c0:.2f}), fit {t2 - t1:.2f} s (cpu {c2 - c1:.2f}; '
          f'{clf.n_iter_[0]} iterations), train total {t2 - t0:.2f} s (cpu {c2 - c0:.2f}); '
          f'predict {t3 - t2:.2f} s (cpu {c3 - c2:.2f}) = {len(texts) / (t3 - t2):.0f} texts/s; '
          f'training accuracy {accuracy_score(y, P > 0.5):.4f}; P[:3] {P[:3]}')
