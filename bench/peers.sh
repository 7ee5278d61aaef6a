#!/usr/bin/env bash
# Same panel file through diff-diff and moderndid (Python) and `mutasi estimate`: wall time and
# peak memory of each whole process (load, estimate, aggregate, write), RUNS times each, and the
# largest differences of ATT(g,t), SEs and the event study against mutasi.
# Not run by CI. Usage: bench/peers.sh [entities] [periods] [cohorts]   (default 100000 36 20)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; periods="${2:-36}"; cohorts="${3:-20}"; runs="${RUNS:-3}"
work="${BENCH_DIR:-/tmp/mutasi-bench}/peers-${n}x${periods}"
mkdir -p "$work"
venv="$work/venv"
[ -x "$venv/bin/python" ] || {
  python3 -m venv "$venv" && "$venv/bin/pip" install -q diff-diff==3.13.0 moderndid==0.2.0 pyarrow numpy pandas
}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
"$venv/bin/python" bench/estimate_panel.py "$n" "$periods" "$cohorts" "$work/panel.parquet" 7

# Runs a command RUNS times; prints each run and the median wall time.
timed() {
  local label="$1"; shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt"
    cat "$work/time.txt"
  done | sort -n | awk -v l="$label" '{w[NR]=$1; m[NR]=$2; printf "%-10s run: %6.2f s wall, %5d MiB peak\n", l, $1, $2/1024}
    END {printf "%-10s median of %d: %.2f s\n", l, NR, w[int((NR+1)/2)]}'
}
timed diff-diff "$venv/bin/python" bench/diffdiff_run.py "$work/panel.parquet" "$work/diffdiff.json"
timed moderndid "$venv/bin/python" bench/moderndid_run.py "$work/panel.parquet" "$work/moderndid.json"
timed mutasi ./target/release/mutasi estimate --panel "$work/panel.parquet" \
  --id id --time t --cohort g --outcome y --out "$work/mutasi"
echo "diff-diff vs mutasi:"; "$venv/bin/python" bench/compare_peers.py "$work/mutasi" "$work/diffdiff.json"
echo "moderndid vs mutasi:"; "$venv/bin/python" bench/compare_peers.py "$work/mutasi" "$work/moderndid.json"
