"""Runs moderndid's att_gt + dynamic aggte on a panel file (analytic SEs) and writes ATT(g,t) and
the event study as JSON in the layout of diffdiff_run.py (used by bench/peers.sh; not run by CI).
Usage: python moderndid_run.py PANEL.parquet OUT.json"""
import sys, time, json
t0 = time.time()
import pandas as pd
import moderndid
df = pd.read_parquet(sys.argv[1])
gt = moderndid.att_gt(df, yname="y", tname="t", idname="id", gname="g", est_method="dr",
                      control_group="nevertreated", boot=False, cband=False)
es = moderndid.aggte(gt, type="dynamic", boot=False, cband=False)
t1 = time.time()
def arr(x):
    return [float(v) for v in list(x)]
out = {"seconds": t1 - t0}
groups, times, att, se = arr(gt.groups), arr(gt.times), arr(gt.att_gt), arr(gt.se_gt)
out["n_cells"] = len(att)
out["cells"] = [[int(g), int(t), a, s] for g, t, a, s in zip(groups, times, att, se)]
out["event"] = [[int(e), a, s] for e, a, s in zip(arr(es.event_times), arr(es.att_by_event), arr(es.se_by_event))]
json.dump(out, open(sys.argv[2], "w"))
print(out["seconds"], out["n_cells"])
