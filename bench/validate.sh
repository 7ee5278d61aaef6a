#!/usr/bin/env bash
# Benchmark of `mutasi validate` on generated data (not run by CI).
# Usage: bench/validate.sh [employees] [months]   (default 100000 60)
# Prints wall time, CPU time and peak memory of generation and validation, for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
m="${2:-60}"
work="${BENCH_DIR:-/tmp/mutasi-bench}/${n}x${m}"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-./target}/release/mutasi"
rm -rf "$work" && mkdir -p "$work"

measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" > "$work/$label.log"
  read -r wall user sys rss < "$work/time.txt"
  awk -v l="$label" -v n="$n" -v m="$m" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "| %s | %s × %s | %.1f s | %.1f s | %.0f MiB |\n", l, n, m, w, u + s, r / 1024 }'
}

echo "| step | employees × months | wall | CPU | peak RSS |"
echo "|---|---|---|---|---|"
measure sample "$bin" sample --employees "$n" --months "$m" --seed 1 --out "$work/in"
measure validate "$bin" validate --input "$work/in" --config "$work/in/mutasi.toml" --out "$work/out" || true
echo
echo "input: $(du -sh "$work/in" | cut -f1), rows read: $(grep -o '"baris_dibaca": [0-9]*' "$work/out/ringkasan.json" | tail -1 | grep -o '[0-9]*'), canonical kinerja rows: $(grep -o '"kinerja": [0-9]*' "$work/out/ringkasan.json" | grep -o '[0-9]*')"
