#!/usr/bin/env bash
# Optional comparison (issue 8): the descriptive before/after windows in DuckDB
# (bench/duckdb_windows.sql) against `mutasi prepost` on the same validated tables. Both are
# timed as whole processes; the rows are matched and their counts and means compared.
# `mutasi prepost` also writes the group summary with its bootstrap; `--bootstrap 0` is not
# allowed, so it runs with 1 draw per group to keep that part negligible.
# Not run by CI. Usage: bench/duckdb.sh [employees] [months]   (default 100000 60)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
n="${1:-100000}"; m="${2:-60}"
bench="${BENCH_DIR:-/tmp/mutasi-bench}"
work="$bench/duckdb-${n}x${m}"
mkdir -p "$work"
venv="$bench/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb, pyarrow" 2>/dev/null || "$venv/bin/pip" install -q duckdb pyarrow
need_time
[ -n "${MUTASI_BIN:-}" ] || { cargo build --release --quiet; MUTASI_BIN="${CARGO_TARGET_DIR:-./target}/release/mutasi"; }
export MUTASI_STATE_DIR="$bench/state"
if [ ! -f "$work/val/kinerja.parquet" ]; then
  "$MUTASI_BIN" sample --employees "$n" --months "$m" --start 2021-01 --seed 1 --no-bad-rows --out "$work/in" -q
  "$MUTASI_BIN" validate --input "$work/in" --config "$work/in/mutasi.toml" --out "$work/val" -q > /dev/null
fi
rm -rf "$work/pp"
measure "$work/prepost.log" "$MUTASI_BIN" prepost --validated "$work/val" --bootstrap 1 --out "$work/pp"
echo "mutasi prepost: $WALL s wall, $CPU s CPU, $RSS_MIB MiB peak ($STATUS)"
ours="$WALL"
measure "$work/duckdb.log" "$venv/bin/python" -c "
import duckdb, sys
sql = open('bench/duckdb_windows.sql').read().replace('{dir}', '$work/val')
duckdb.sql(f\"COPY ({sql}) TO '$work/duckdb_windows.parquet' (FORMAT parquet)\")
"
echo "DuckDB:         $WALL s wall, $CPU s CPU, $RSS_MIB MiB peak ($STATUS)"
awk -v d="$WALL" -v o="$ours" 'BEGIN { printf "DuckDB / mutasi: %.2f×\n", d / o }'
"$venv/bin/python" - "$work/pp/transfer_windows.parquet" "$work/duckdb_windows.parquet" <<'PY'
import sys
import pyarrow.parquet as pq
ours = pq.read_table(sys.argv[1]).to_pylist()
theirs = pq.read_table(sys.argv[2]).to_pylist()
key = lambda r: (r["pegawai_id"], str(r["tmt"]), r["unit_tujuan_id"], r["indikator"])
mine = {key(r): r for r in ours}
worst, missing = 0.0, 0
for r in theirs:
    o = mine.get(key(r))
    if o is None or (o["n_pre"], o["n_post"]) != (r["n_pre"], r["n_post"]):
        missing += 1
        continue
    for c in ("mean_pre", "mean_post"):
        if (o[c] is None) != (r[c] is None):
            missing += 1
        elif o[c] is not None:
            worst = max(worst, abs(o[c] - r[c]))
print(f"rows: mutasi {len(ours):,}, DuckDB {len(theirs):,}; unmatched {missing}; largest |mean difference| {worst:.2e}")
print("SAMA / AGREE" if missing == 0 and len(ours) == len(theirs) and worst <= 1e-9 else "BEDA / DIFFER")
PY
