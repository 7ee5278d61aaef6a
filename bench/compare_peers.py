"""Compares mutasi's att_gt.parquet and event_study.parquet with a peer's JSON (bench/peers.sh).
Prints the largest differences and whether they are within 1e-6; exits 1 when they are not.

Usage: python compare_peers.py MUTASI_OUT_DIR PEER.json"""
import json
import sys

import pyarrow.parquet as pq

TOL = 1e-6
out, dd = sys.argv[1], json.load(open(sys.argv[2]))
m = pq.read_table(f"{out}/att_gt.parquet").to_pydict()
mine = {(g, t): (a, s) for g, t, a, s in zip(m["group"], m["time"], m["att"], m["se"])}
diffs = [(abs(mine[(g, t)][0] - a), abs(mine[(g, t)][1] - s)) for g, t, a, s in dd["cells"] if (g, t) in mine]
missing = len(dd["cells"]) - len(diffs)
worst = max(max(d) for d in diffs) if diffs else float("inf")
print(f"  ATT(g,t): {len(diffs)} cells compared, {missing} missing, max |ATT diff| {max(d[0] for d in diffs):.3e}, max |SE diff| {max(d[1] for d in diffs):.3e}")
es = pq.read_table(f"{out}/event_study.parquet").to_pydict()
me = {e: (x, s) for e, x, s in zip(es["e"], es["att"], es["se"])}
ev = [(abs(me[e][0] - x), abs(me[e][1] - s)) for e, x, s in dd.get("event", []) if e in me]
if ev:
    worst = max(worst, max(max(d) for d in ev))
    print(f"  event study: {len(ev)} event times, max |ATT diff| {max(d[0] for d in ev):.3e}, max |SE diff| {max(d[1] for d in ev):.3e}")
ok = missing == 0 and worst <= TOL
print(f"  {'SAMA / AGREE' if ok else 'BEDA / DIFFER'}: largest difference {worst:.3e} (tolerance {TOL:g})")
sys.exit(0 if ok else 1)
