#!/usr/bin/env bash
# Takes a screenshot of a run's page in the Web UI of a real Temporal dev server, to check what
# the stock tools show of agentflow runs (summary, details, child ids) and to keep it in the docs.
#
#   scripts/web-ui-screenshot.sh [OUT.png]     (default: docs/web-ui-run.png)
#
# Starts its own dev server with the Web UI on free loopback ports (.ci/temporal-dev-server.sh),
# an agentflow worker answering from the offline scripts, runs the map-reduce example through it,
# opens the parent run's page and one child's page in headless Chromium, and stops everything it
# started. Needs the Temporal CLI (AGENTFLOW_TEMPORAL_BIN, default ~/.cache/agentflow/bin/temporal,
# as .ci/run) and Chromium (Debian: apt-get install chromium).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/docs/web-ui-run.png}")"
child_out="${out%.png}-child.png"
temporal="${AGENTFLOW_TEMPORAL_BIN:-$HOME/.cache/agentflow/bin/temporal}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[[ -x "$temporal" ]] || { echo "✘ no Temporal CLI at $temporal (set AGENTFLOW_TEMPORAL_BIN)" >&2; exit 1; }
[[ -n "$browser" ]] || { echo "✘ no Chromium on PATH (Debian: apt-get install chromium)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work="$(mktemp -d)"
export AGENTFLOW_IT_TEMPORAL_BIN="$temporal"
export AGENTFLOW_IT_TEMPORAL_DB="$work/temporal.db"
export AGENTFLOW_IT_TEMPORAL_PORT="$(free_port)"
export AGENTFLOW_IT_TEMPORAL_UI_PORT="$(free_port)"
export AGENTFLOW_HOME="$work/home"
address="127.0.0.1:$AGENTFLOW_IT_TEMPORAL_PORT"
ui="http://127.0.0.1:$AGENTFLOW_IT_TEMPORAL_UI_PORT"
worker_pid=""
cleanup() {
  if [[ -n "$worker_pid" ]]; then kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; fi
  "$root/.ci/temporal-dev-server.sh" stop >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/.ci/temporal-dev-server.sh" start
env -u OPENAI_API_KEY "$root/agentflow" worker --address "$address" --offline \
    --offline-script "$root/definitions" --blob-dir "$work/blobs" >"$work/worker.log" 2>&1 &
worker_pid=$!
id="map-reduce-summarizer-web-ui"
env -u OPENAI_API_KEY "$root/agentflow" run "$root/definitions/map-reduce-summarizer.yaml" --address "$address" \
    --workflow-id "$id" --input @"$root/definitions/map-reduce-summarizer.input.json"
run_id="$("$temporal" workflow describe --address "$address" -w "$id" -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["execution"]["runId"])')"
child="$("$temporal" workflow list --address "$address" -q "WorkflowId STARTS_WITH \"$id.\"" -o json --limit 1 | python3 -c 'import json, sys; rows = json.load(sys.stdin); print(rows[0]["execution"]["workflowId"] + " " + rows[0]["execution"]["runId"])')"

shoot() {
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/chromium" \
      --window-size=1440,1500 --virtual-time-budget=20000 --screenshot="$1" "$2" >"$work/chromium.log" 2>&1 \
    || { cat "$work/chromium.log" >&2; return 1; }
  echo "✓ $1  ($2)"
}
mkdir -p "$(dirname "$out")"
shoot "$out" "$ui/namespaces/default/workflows/$id/$run_id/history"
shoot "$child_out" "$ui/namespaces/default/workflows/${child% *}/${child#* }/user-metadata"
shoot "${out%.png}-metadata.png" "$ui/namespaces/default/workflows/$id/$run_id/user-metadata"
echo "· what temporal workflow describe says of them:"
"$temporal" workflow describe --address "$address" -w "$id" | grep -iE "summary|details|WorkflowId" || true
"$temporal" workflow describe --address "$address" -w "${child% *}" | grep -iE "summary|details|WorkflowId|Parent" || true
