#!/usr/bin/env bash
# Same panel file through diff-diff (Python, the fastest peer) and `mutasi estimate`: times of
# both whole processes and the largest differences of ATT(g,t), SEs and the event study.
# Not run by CI. Usage: bench/peers.sh [entities] [periods] [cohorts]   (default 100000 36 20)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; periods="${2:-36}"; cohorts="${3:-20}"
work="${BENCH_DIR:-/tmp/mutasi-bench}/peers-${n}x${periods}"
mkdir -p "$work"
venv="$work/venv"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q diff-diff pyarrow numpy; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
"$venv/bin/python" bench/estimate_panel.py "$n" "$periods" "$cohorts" "$work/panel.parquet" 7
/usr/bin/time -f 'diff-diff: %e s wall, %M KB peak' "$venv/bin/python" bench/diffdiff_run.py "$work/panel.parquet" "$work/diffdiff.json" > /dev/null
/usr/bin/time -f 'mutasi:    %e s wall, %M KB peak' ./target/release/mutasi estimate --panel "$work/panel.parquet" \
  --id id --time t --cohort g --outcome y --out "$work/mutasi" > /dev/null
"$venv/bin/python" bench/compare_peers.py "$work/mutasi" "$work/diffdiff.json"
