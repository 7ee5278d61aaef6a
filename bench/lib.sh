# Shared by the benchmark scripts (sourced, not run). Not used by CI except through the smoke test.

# Memory ceiling for one measured process tree, in KiB: MEM_LIMIT_MIB or 85 % of the machine.
mem_limit_kib() {
  if [ -n "${MEM_LIMIT_MIB:-}" ]; then echo $((MEM_LIMIT_MIB * 1024)); return; fi
  awk '/MemTotal/ { printf "%d\n", $2 * 0.85 }' /proc/meminfo
}

# Resident memory (KiB) of a process and all its descendants.
tree_rss_kib() {
  local pid="$1" total=0 rss child
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  total=$((total + ${rss:-0}))
  for child in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do
    total=$((total + $(tree_rss_kib "$child")))
  done
  echo "$total"
}

# measure LOG CMD...: runs CMD under /usr/bin/time -v with stdout+stderr in LOG, killing it when
# its process tree passes the memory ceiling. Sets WALL, CPU (user + sys, s), RSS_MIB and
# STATUS ("ok", "exit N" or "out of memory (> N MiB)").
measure() {
  local log="$1"; shift
  local limit timing pid code
  limit=$(mem_limit_kib)
  timing="$log.time"
  /usr/bin/time -v -o "$timing" "$@" > "$log" 2>&1 &
  pid=$!
  local killed=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(tree_rss_kib "$pid")" -gt "$limit" ]; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      killed=1
      break
    fi
    sleep 0.5
  done
  code=0
  wait "$pid" || code=$?
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$timing")
  CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$timing")
  RSS_MIB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$timing")
  if [ "$killed" = 1 ]; then
    STATUS="out of memory (> $((limit / 1024)) MiB)"
  elif [ "$code" = 0 ]; then
    STATUS="ok"
  else
    STATUS="exit $code"
  fi
}

need_time() {
  [ -x /usr/bin/time ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
}
