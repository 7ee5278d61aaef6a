"""Writes a synthetic staggered panel as Parquet for benchmarking `mutasi estimate` (not run by CI).

Usage: python3 bench/estimate_panel.py ENTITIES PERIODS COHORTS OUT.parquet [SEED]
Needs numpy and pyarrow (`pip install numpy pyarrow`). Columns: id (int64), t (int64, 1..PERIODS),
g (int64 cohort, 0 = never treated; cohorts spread over periods 2..PERIODS), y (float64) with an
entity effect, a common trend and an effect of 1.0 from the cohort period on, and unit (int64,
200 entities per unit) for clustered bootstraps.
"""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

n, periods, cohorts, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
rng = np.random.default_rng(seed)
starts = np.linspace(2, periods, cohorts).round().astype(np.int64)
g = np.where(rng.random(n) < 0.4, 0, rng.choice(starts, n))
ids = np.repeat(np.arange(n, dtype=np.int64), periods)
t = np.tile(np.arange(1, periods + 1, dtype=np.int64), n)
gg = np.repeat(g, periods)
alpha = np.repeat(rng.normal(0, 1, n), periods)
y = alpha + 0.02 * t + np.where((gg > 0) & (t >= gg), 1.0, 0.0) + rng.normal(0, 1, n * periods)
unit = ids // 200
pq.write_table(pa.table({"id": ids, "t": t, "g": gg, "y": y, "unit": unit}), out, compression="zstd")
print(f"{out}: {n} entities x {periods} periods, {len(set(starts))} cohorts")
