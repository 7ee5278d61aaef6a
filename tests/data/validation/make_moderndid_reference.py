"""Writes mpdta_moderndid_reference.json: moderndid 0.2.0 (the Python port of R `did`) on mpdta for
the configurations the R reference file does not cover. Not run by CI; the JSON is committed.

Usage: python make_moderndid_reference.py   (needs moderndid==0.2.0, pandas)
"""
import json
import pathlib

import moderndid
import numpy as np
import pandas as pd

here = pathlib.Path(__file__).parent
full = pd.read_csv(here / "mpdta.csv")
# The gapped panel of the unit tests: every row whose 0-based position k has k % 9 == 4 is dropped.
gapped = full[[k % 9 != 4 for k in range(len(full))]].reset_index(drop=True)

configs = {
    "nocov_never_universal": dict(data=full, base_period="universal"),
    "nocov_notyet_universal": dict(data=full, base_period="universal", control_group="notyettreated"),
    "nocov_never_anticipation1": dict(data=full, anticipation=1),
    "nocov_notyet_anticipation1": dict(data=full, anticipation=1, control_group="notyettreated"),
    # moderndid 0.2.0 fails with allow_unbalanced_panel=True (TypeError in run_att_gt_estimation),
    # and its aggte fails after panel=False; panel=False gives the repeated-cross-section ATT(g,t),
    # the same point estimator mutasi uses on gapped panels. Only those ATTs are kept.
    "nocov_never_rcs_att": dict(data=gapped, panel=False),
    "nocov_notyet_rcs_att": dict(data=gapped, panel=False, control_group="notyettreated"),
    "lpop_never_reg": dict(data=full, xformla="~lpop", est_method="reg"),
    "lpop_never_ipw": dict(data=full, xformla="~lpop", est_method="ipw"),
}


def nums(x):
    return [None if (v is None or (isinstance(v, float) and np.isnan(v))) else float(v) for v in np.asarray(x, dtype=float)]


out = {"_source": "moderndid 0.2.0 att_gt/aggte, analytic SEs (boot=False, cband=False), bstrap off; "
                  "mpdta.csv as in this folder; see README.md"}
for name, kw in configs.items():
    data = kw.pop("data")
    try:
        gt = moderndid.att_gt(data, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                              boot=False, cband=False, **kw)
    except Exception as e:  # recorded, so the file says what moderndid could not do
        out[name] = {"error": f"{type(e).__name__}: {e}", "options": kw}
        print(name, "failed:", e)
        continue
    entry = {"group": nums(gt.groups), "t": nums(gt.times), "att": nums(gt.att_gt), "se": nums(gt.se_gt),
             "wald_pvalue": None if gt.wald_pvalue is None else float(gt.wald_pvalue),
             "n": int(gt.n_units), "options": {k: v for k, v in kw.items()}, "aggte": {}}
    if name.endswith("_rcs_att"):
        del entry["se"], entry["wald_pvalue"], entry["aggte"]
        out[name] = entry
        continue
    for kind in ["simple", "dynamic", "group", "calendar"]:
        a = moderndid.aggte(gt, type=kind, boot=False, cband=False)
        agg = {"overall_att": float(a.overall_att), "overall_se": float(a.overall_se)}
        if kind != "simple":
            agg.update(egt=nums(a.event_times), att_egt=nums(a.att_by_event), se_egt=nums(a.se_by_event))
        entry["aggte"][kind] = agg
    out[name] = entry
# Two-period repeated-cross-section estimators with ~lpop, cell by cell, on the gapped panel: the
# observations are the gapped file's rows (in file order) of years {base, t} whose county is in
# cohort g or never treated; covariates = [1, lpop]. Influence functions are over those rows.
cells = []
for g, t, base in [(2006, 2007, 2005), (2007, 2005, 2004)]:
    rows = gapped[gapped["year"].isin([base, t]) & gapped["first.treat"].isin([g, 0])]
    y = rows["lemp"].to_numpy(float)
    post = (rows["year"] == t).to_numpy(int)
    d = (rows["first.treat"] == g).to_numpy(int)
    x = np.column_stack([np.ones(len(rows)), rows["lpop"].to_numpy(float)])
    for method, fn in [("dr", moderndid.drdid_rc), ("reg", moderndid.reg_did_rc), ("ipw", moderndid.std_ipw_did_rc)]:
        r = fn(y, post, d, x, influence_func=True)
        cells.append({"group": g, "t": t, "base": base, "method": method, "n1": int(len(rows)),
                      "att": float(r.att), "inf": nums(r.att_inf_func)})
out["rcs_cells_lpop"] = cells
(here / "mpdta_moderndid_reference.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote", len(configs), "configurations")
