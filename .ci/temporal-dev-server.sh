#!/usr/bin/env bash
# Starts and stops the Temporal dev server the integration tests run against. .ci/run calls it, and
# so does the server-restart IT (stop, then start again on the same SQLite file and port), so the
# start command lives in one place. Settings come from the environment .ci/run exports:
#
#   AGENTFLOW_IT_TEMPORAL_BIN    the temporal binary (v1.5.1)
#   AGENTFLOW_IT_TEMPORAL_DB     its SQLite file; the PID goes to <db>.pid, the log to <db>.log
#   AGENTFLOW_IT_TEMPORAL_PORT   the frontend gRPC port (on 127.0.0.1)
#   AGENTFLOW_IT_TEMPORAL_UI_PORT  optional: serve the Web UI on this port of 127.0.0.1 (default:
#                                no UI; scripts/web-ui-screenshot.sh sets it)
#
# Usage: temporal-dev-server.sh start|stop|status
set -euo pipefail

bin="${AGENTFLOW_IT_TEMPORAL_BIN:?AGENTFLOW_IT_TEMPORAL_BIN is not set}"
db="${AGENTFLOW_IT_TEMPORAL_DB:?AGENTFLOW_IT_TEMPORAL_DB is not set}"
port="${AGENTFLOW_IT_TEMPORAL_PORT:?AGENTFLOW_IT_TEMPORAL_PORT is not set}"
address="127.0.0.1:$port"
ui_port="${AGENTFLOW_IT_TEMPORAL_UI_PORT:-}"
if [[ -n "$ui_port" ]]; then
  ui=(--ui-ip 127.0.0.1 --ui-port "$ui_port")
else
  ui=(--headless)
fi
pidfile="$db.pid"
log="$db.log"

running() {
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
  if running; then
    echo "temporal dev server already running (pid $(cat "$pidfile")) on $address"
    return 0
  fi
  # The search attributes agentflow upserts. Registering them again on an existing file is a no-op.
  nohup "$bin" server start-dev "${ui[@]}" --ip 127.0.0.1 --port "$port" --db-filename "$db" \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --search-attribute AgentflowGraph=Keyword \
    --search-attribute AgentflowGraphVersion=Int \
    --search-attribute AgentflowNode=Keyword \
    --search-attribute AgentflowTokens=Int \
    --search-attribute AgentflowCostUsd=Double \
    --search-attribute AgentflowGraphSha=Keyword \
    --search-attribute AgentflowGraphAlias=Keyword \
    >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if ! running; then
      echo "temporal dev server exited while starting; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    if "$bin" operator cluster health --address "$address" >/dev/null 2>&1; then
      echo "temporal dev server serving on $address (pid $(cat "$pidfile"), db $db)"
      return 0
    fi
    sleep 0.5
  done
  echo "temporal dev server did not answer on $address within 60 s; last lines of $log:" >&2
  tail -n 30 "$log" >&2
  return 1
}

stop() {
  if ! running; then
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      echo "temporal dev server stopped (pid $pid)"
      return 0
    fi
    sleep 0.5
  done
  echo "temporal dev server (pid $pid) ignored SIGTERM for 30 s: killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$pidfile")) on $address"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
