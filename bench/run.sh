#!/usr/bin/env bash
# The benchmark harness (issue 8; never run by CI, apart from `--smoke` in the test suite).
#
# For each size it generates data with `mutasi sample` and runs the real binary end to end:
# `mutasi run` with the SQL queries and both shipped report specs, for the last generated month.
# It records wall time, CPU time and peak RSS (/usr/bin/time -v), each stage's seconds from the
# month's manifest.json, and input rows per second, as Markdown rows for docs/benchmarks.md.
#
# Usage: bench/run.sh [--sizes ambon,province,large,national|NxM,...] [--peers] [--smoke]
#   ambon = 8000x60, province = 100000x60, large = 1000000x60, national = 4500000x60
#   default --sizes ambon,province. --peers adds bench/peers.sh at 20000x36, 100000x36 and
#   1000000x60 (diff-diff and moderndid in a virtual environment it creates).
#   --smoke: one tiny size (1000x24), for the test suite.
#   Sizes of 1,000,000 employees and more are generated as instansi partitions of
#   PARTITION_EMPLOYEES (default 8000, an Ambon) with Parquet kinerja, and run partition by
#   partition (docs/scale.md); smaller sizes are one flat folder of CSV and xlsx exports
#   (PARTITION_FROM, default 1000000, moves the threshold).
# Environment: BENCH_DIR (default /tmp/mutasi-bench), MUTASI_BIN (default: build
#   target/release/mutasi), MEM_LIMIT_MIB (a run is stopped above it; default 85 % of RAM),
#   MUTASI_JOBS (partitions at once; default the number of cores), BENCH_REPORTS (report specs
#   run with the month, default bulanan,dinas-kesehatan), BENCH_ANALYSIS (extra `[analysis]` keys
#   of the config file), BENCH_BOOTSTRAP (`mutasi run --bootstrap N`: the descriptive summaries'
#   bootstrap draws in the run and in every report spec; 0 for analytic intervals only).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
. bench/lib.sh

sizes="ambon,province"; peers=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --peers) peers=1; shift ;;
    --smoke) sizes="1000x24"; shift ;;
    -h|--help) sed -n "2,23p" "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
need_time
command -v python3 >/dev/null || { echo "python3 is needed to read manifest.json" >&2; exit 2; }
bench="${BENCH_DIR:-/tmp/mutasi-bench}"
mkdir -p "$bench"
if [ -z "${MUTASI_BIN:-}" ]; then
  cargo build --release --quiet
  MUTASI_BIN="${CARGO_TARGET_DIR:-$repo/target}/release/mutasi"
fi
export MUTASI_STATE_DIR="$bench/state"
# Partitioned sizes run as many partitions at once as there are cores (mutasi run --jobs).
export MUTASI_JOBS="${MUTASI_JOBS:-$(nproc)}"

dims() {
  case "$1" in
    ambon) echo "8000 60" ;; province) echo "100000 60" ;;
    large) echo "1000000 60" ;; national) echo "4500000 60" ;;
    *x*) echo "${1%x*} ${1#*x}" ;;
    *) echo "unknown size: $1" >&2; exit 2 ;;
  esac
}

# The report specs run with every month (BENCH_REPORTS, comma-separated names in reports/).
report_list=""
IFS=',' read -ra specs <<< "${BENCH_REPORTS:-bulanan,dinas-kesehatan}"
for s in "${specs[@]}"; do
  [ -f "reports/$s.toml" ] || { echo "unknown report spec: $s (see reports/)" >&2; exit 2; }
  report_list="$report_list${report_list:+, }\"$repo/reports/$s.toml\""
done

results="$bench/results.md"
header="| size | employees × months | input rows | generate | run: wall | CPU | peak RSS | rows/s | validation | descriptive | panel | estimators | queries | report | result |"
echo "$header" | tee "$results"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" | tee -a "$results"
IFS=',' read -ra list <<< "$sizes"
for size in "${list[@]}"; do
  read -r n m <<< "$(dims "$size")"
  work="$bench/${n}x${m}"
  # Generated data is kept between runs of the script (same seed, same files).
  layout=()
  if [ "$n" -ge "${PARTITION_FROM:-1000000}" ]; then
    layout=(--instansi $((n / ${PARTITION_EMPLOYEES:-8000})) --format parquet)
  fi
  if [ ! -f "$work/in/.complete" ]; then
    rm -rf "$work/in"
    measure "$work.sample.log" "$MUTASI_BIN" sample --employees "$n" --months "$m" --start 2021-01 \
      --seed 1 --no-bad-rows --out "$work/in" -q "${layout[@]}"
    [ "$STATUS" = ok ] || { echo "| $size | $n × $m | – | $STATUS | | | | | | | | | | | not generated |" | tee -a "$results"; continue; }
    gen="${WALL} s"
    touch "$work/in/.complete"
  else
    gen="(kept)"
  fi
  { cat "$work/in/mutasi.toml"; printf '\n[queries]\ndir = "%s/queries"\n\n[run]\nreports = [%s]\n' "$repo" "$report_list"
    [ -z "${BENCH_ANALYSIS:-}" ] || printf '\n[analysis]\n%s\n' "$BENCH_ANALYSIS"; } > "$work/mutasi.toml"
  last=$(python3 -c "import sys; k = 2021 * 12 + int(sys.argv[1]) - 1; print(f'{k // 12:04d}-{k % 12 + 1:02d}')" "$m")
  rm -rf "$work/runs"
  measure "$work/run.log" "$MUTASI_BIN" run --config "$work/mutasi.toml" --input "$work/in" \
    --out "$work/runs" --period "$last" --log-format json ${BENCH_BOOTSTRAP:+--bootstrap "$BENCH_BOOTSTRAP"}
  python3 - "$work/runs" "$last" "$size" "$n" "$m" "$gen" "$WALL" "$CPU" "$RSS_MIB" "$STATUS" <<'PY' | tee -a "$results"
import glob, json, os, sys
runs, last, size, n, m, gen, wall, cpu, rss, status = sys.argv[1:]
def f(x):
    return f"{x:.2f} s"
# One manifest for a flat input, one per partition (runs/instansi=…/<month>/) for a partitioned one.
paths = sorted(glob.glob(f"{runs}/{last}/manifest.json") + glob.glob(f"{runs}/*=*/{last}/manifest.json"))
if not paths:
    print(f"| {size} | {int(n):,} × {m} | – | {gen} | {wall} s | {cpu} s | {rss} MiB | – | | | | | | | {status} |")
    sys.exit(0)
rows, st = 0, {}
for path in paths:
    man = json.load(open(path))
    rows += sum(i.get("baris_dibaca") or 0 for i in man["masukan"])
    for s in man["tahap"]:
        name, sec = s["tahap"], s["detik"]
        part = name.split("/")[1] if "/" in name else name
        st[part] = st.get(part, 0.0) + sec
if len(paths) > 1:
    status = f"{status}, {len(paths)} partitions"
validation = st.get("validasi", 0.0) + st.get("gerbang", 0.0)
print(f"| {size} | {int(n):,} × {m} | {rows:,} | {gen} | {wall} s | {cpu} s | {rss} MiB | {rows / max(float(wall), 1e-9):,.0f} | "
      f"{f(validation)} | {f(st.get('deskriptif', 0))} | {f(st.get('panel', 0))} | {f(st.get('estimator', 0))} | "
      f"{f(st.get('kueri', 0))} | {f(st.get('laporan', 0))} | {status} |")
PY
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), $(date -u +%Y-%m-%d)" | tee -a "$results"
echo "reports: ${BENCH_REPORTS:-bulanan,dinas-kesehatan}; [analysis] extra: ${BENCH_ANALYSIS:-none}; --bootstrap: ${BENCH_BOOTSTRAP:-not given}" | tee -a "$results"
echo "results: $results"

if [ "$peers" = 1 ]; then
  RUNS="${RUNS:-3}" bench/peers.sh 20000 36 12
  RUNS="${RUNS:-3}" bench/peers.sh 100000 36 20
  RUNS=1 bench/peers.sh 1000000 60 40
fi
