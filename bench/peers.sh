#!/usr/bin/env bash
# Same panel file through diff-diff and moderndid (Python) and `mutasi estimate`: wall time and
# peak memory of each whole process (load, estimate, aggregate, write), RUNS times each, the
# ratio of medians, and the largest differences of ATT(g,t), SEs and the event study against
# mutasi, which must be at most 1e-6. A peer that passes the memory ceiling is stopped and
# reported as such.
# Not run by CI. Usage: bench/peers.sh [entities] [periods] [cohorts]   (default 100000 36 20)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
n="${1:-100000}"; periods="${2:-36}"; cohorts="${3:-20}"; runs="${RUNS:-3}"
work="${BENCH_DIR:-/tmp/mutasi-bench}/peers-${n}x${periods}"
mkdir -p "$work"
venv="${BENCH_DIR:-/tmp/mutasi-bench}/venv"
[ -x "$venv/bin/python" ] || {
  python3 -m venv "$venv" && "$venv/bin/pip" install -q diff-diff==3.13.0 moderndid==0.2.0 pyarrow numpy pandas
}
need_time
[ -n "${MUTASI_BIN:-}" ] || { cargo build --release --quiet; MUTASI_BIN="${CARGO_TARGET_DIR:-./target}/release/mutasi"; }
[ -f "$work/panel.parquet" ] || "$venv/bin/python" bench/estimate_panel.py "$n" "$periods" "$cohorts" "$work/panel.parquet" 7

# timed LABEL CMD...: RUNS runs; prints each and sets MEDIAN (s) or empty when a run failed.
timed() {
  local label="$1"; shift
  local walls=()
  MEDIAN=""
  for _ in $(seq "$runs"); do
    measure "$work/$label.log" "$@"
    printf '%-10s run: %7s s wall, %6s MiB peak, %s\n' "$label" "$WALL" "$RSS_MIB" "$STATUS"
    [ "$STATUS" = ok ] || return 0
    walls+=("$WALL")
  done
  MEDIAN=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ w[NR] = $1 } END { print w[int((NR + 1) / 2)] }')
  echo "$label median of $runs: $MEDIAN s"
}
echo "panel: $n entities × $periods periods, $cohorts cohorts ($work/panel.parquet)"
timed mutasi "$MUTASI_BIN" estimate --panel "$work/panel.parquet" --id id --time t --cohort g --outcome y --out "$work/mutasi"
ours="$MEDIAN"
for peer in diffdiff moderndid; do
  timed "$peer" "$venv/bin/python" "bench/${peer}_run.py" "$work/panel.parquet" "$work/$peer.json"
  if [ -n "$MEDIAN" ] && [ -n "$ours" ]; then
    awk -v p="$MEDIAN" -v o="$ours" -v l="$peer" 'BEGIN { printf "%s / mutasi: %.1f×\n", l, p / o }'
    "$venv/bin/python" bench/compare_peers.py "$work/mutasi" "$work/$peer.json" || true
  else
    echo "$peer: did not finish; no comparison"
  fi
done
