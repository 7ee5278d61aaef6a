"""Runs diff-diff's CallawaySantAnna on a panel file and writes its ATT(g,t) and event study as JSON
(used by bench/peers.sh; not run by CI). Usage: python diffdiff_run.py PANEL.parquet OUT.json"""
import sys, time, json
t0 = time.time()
import pandas as pd
from diff_diff import CallawaySantAnna
df = pd.read_parquet(sys.argv[1])
cs = CallawaySantAnna(control_group="never_treated", estimation_method="dr", n_bootstrap=0, cband=False)
res = cs.fit(df, outcome="y", unit="id", time="t", first_treat="g", aggregate="event_study")
t1 = time.time()
gt = res.group_time_effects
out = {"seconds": t1 - t0, "n_cells": len(gt)}
rows = []
for k, v in gt.items():
    rows.append([int(k[0]), int(k[1]), float(v["effect"]), float(v["se"])])
out["cells"] = rows
es = getattr(res, "event_study_effects", None)
if es:
    out["event"] = [[int(e), float(v["effect"]), float(v["se"])] for e, v in es.items()]
json.dump(out, open(sys.argv[2], "w"))
print(out["seconds"], out["n_cells"])
