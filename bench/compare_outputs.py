#!/usr/bin/env python3
"""Compares every Parquet output of two mutasi period folders value by value (issue 32 guard).

Usage: python3 bench/compare_outputs.py OLD_DIR NEW_DIR   (needs pyarrow)
Prints the files only one side has, and for each column that differs the number of rows, the
largest absolute difference of floats and two examples; exits 0 either way.
"""
import sys, pathlib, pyarrow.parquet as pq, math
a, b = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
# Columns renamed by a version note of docs/outputs.md: the old name is compared with the new one.
RENAMED = {'analysis': 'analisis', 'mean_pre': 'rata_pre', 'mean_post': 'rata_post', 'valid': 'sah',
           'backlog': 'belum_diputuskan'}
fa = sorted(p.relative_to(a) for p in a.rglob('*.parquet'))
fb = sorted(p.relative_to(b) for p in b.rglob('*.parquet'))
print('files', len(fa), len(fb), 'only old:', set(fa)-set(fb), 'only new:', set(fb)-set(fa))
ndiff = 0
for f in fa:
    if f not in fb: continue
    ta, tb = pq.read_table(a/f), pq.read_table(b/f)
    ta = ta.rename_columns([RENAMED.get(c, c) for c in ta.column_names])
    if ta.column_names != tb.column_names or ta.num_rows != tb.num_rows:
        print('SHAPE', f, ta.column_names, tb.column_names, ta.num_rows, tb.num_rows); ndiff += 1; continue
    for c in ta.column_names:
        va, vb = ta.column(c).to_pylist(), tb.column(c).to_pylist()
        bad = []
        for i, (x, y) in enumerate(zip(va, vb)):
            if x == y: continue
            if isinstance(x, float) and isinstance(y, float):
                if math.isnan(x) and math.isnan(y): continue
                bad.append((i, x, y, abs(x-y)))
            else:
                bad.append((i, x, y, None))
        if bad:
            ndiff += 1
            mx = max((d[3] for d in bad if d[3] is not None), default=None)
            print('DIFF', f, c, len(bad), 'max abs', mx, bad[:2])
        if str(ta.schema.field(c).type) != str(tb.schema.field(c).type):
            print('TYPE', f, c, ta.schema.field(c).type, tb.schema.field(c).type)
print('columns differing:', ndiff)
