#!/usr/bin/env bash
# Where the start of an agentflow command goes: runs it N times with AGENTFLOW_TIMINGS=1 and prints
# each phase's end (milliseconds from the launcher's start) as min and median over the runs.
#
#   scripts/startup-profile.sh [-n RUNS] [LAUNCHER] [-- ARGS...]
#   default: -n 7 ./agentflow -- run definitions/tool-agent.yaml --input @definitions/tool-agent.input.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=7
if [[ "${1:-}" == -n ]]; then runs="$2"; shift 2; fi
launcher="${1:-$root/agentflow}"
[[ $# -gt 0 ]] && shift
[[ "${1:-}" == -- ]] && shift
args=("$@")
if [[ ${#args[@]} -eq 0 ]]; then
  args=(run "$root/definitions/tool-agent.yaml" --input @"$root/definitions/tool-agent.input.json")
fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for i in $(seq 1 "$runs"); do
  AGENTFLOW_TIMINGS=1 "$launcher" "${args[@]}" 2>&1 >/dev/null | grep -E '^ +[0-9]+ ms  ' | sed "s/^/$i /" >>"$out"
done
echo "$runs runs of: $launcher ${args[*]}"
printf '%-52s %8s %8s\n' "phase (ms since the launcher started)" min median
# phases in the order of the first run; min and median over the runs that reached each
python3 - "$out" <<'PY'
import statistics, sys
phases = {}
for line in open(sys.argv[1]):
    run, ms, _, phase = line.rstrip("\n").split(None, 3)
    phases.setdefault(phase, []).append(int(ms))
for phase, values in phases.items():
    print(f"{phase:52s} {min(values):8d} {statistics.median(values):8.0f}")
PY
