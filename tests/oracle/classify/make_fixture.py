#!/usr/bin/python3
"""Builds tests/oracle/classify/fixture.tsv from the real texts in ../shared (see README.md).

Run once from the repo root:  /usr/bin/python3 tests/oracle/classify/make_fixture.py [SHARED_DIR]
Columns: split, label, source, text.  split is train (fit), test (held out, labelled) or extra
(scored only).  label is the extraversion pole: 1 = extraverted, 0 = introverted, - = unknown.
Text fields escape backslash, tab, newline and CR as \\ \t \n \r, so every row is one line.
"""
import csv, glob, json, os, re, sys

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../../../shared')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixture.tsv')


def esc(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')


def first_paragraph(story):
    return story.strip().split('\n\n')[0].strip()


def cut(text, limit):
    """The text up to `limit` characters, cut at the last space before it."""
    text = ' '.join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(' ', 1)[0]


rows = []
personallm = os.path.join(shared, 'data/personallm/outputs')
for model, split, keep in (('gpt-4-0613', 'train', range(1, 11)), ('gpt-3.5-turbo-0613', 'test', (1, 2))):
    files = sorted(glob.glob(f'{personallm}/{model}/temp0.7/writing/*.json'))
    for f in files:
        d = json.load(open(f, encoding='utf-8'))
        if d['iteration'] not in keep:
            continue
        label = '1' if d['persona_encoding'].startswith('extr') else '0'
        src = f'PersonaLLM:{model}/{os.path.basename(f)}'
        rows.append((split, label, src, first_paragraph(d['annotation'])))

with open(os.path.join(shared, 'data/personallm/essays2007/essays2007_32_sample.csv'), encoding='utf-8') as fh:
    for i, r in enumerate(csv.DictReader(fh)):
        rows.append(('extra', r['cEXT'], f'essays2007_32_sample.csv:row{i + 1}', cut(r['text'], 600)))

# RealBehavior (Zhou et al.) Appendix B, Tables 4 and 5: tab-separated in the text dump.
lines = open(os.path.join(shared, 'papers/realbehavior.txt'), encoding='utf-8').read().split('\n')
t4 = lines.index('Dimension\tOccasions\tLabel\tBehavior Description')
dim = None
for ln in lines[t4 + 1:]:
    if not ln.strip():
        break
    f = ln.split('\t')
    dim = f[0] or dim
    lab = {'y': '1', 'n': '0'}[f[2]] if dim == 'EXT' else '-'
    rows.append(('extra', lab, f'realbehavior.txt:Table4:{dim}:{f[2]}', f[3]))
t5 = lines.index('Dimensions\tModels\tOccasions\tModel Behavior\tPred')
for ln in lines[t5 + 1:]:
    if not ln.strip():
        break
    f = ln.split('\t')
    lab = {'y': '1', 'n': '0'}[f[4]] if f[0] == 'EXT' else '-'
    rows.append(('extra', lab, f'realbehavior.txt:Table5:{f[0]}:{f[1]}', f[3]))

with open(out, 'w', encoding='utf-8', newline='\n') as fh:
    fh.write('split\tlabel\tsource\ttext\n')
    for r in rows:
        fh.write('\t'.join(esc(x) for x in r) + '\n')
print(f'{out}: {len(rows)} rows', file=sys.stderr)
