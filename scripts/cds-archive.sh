#!/usr/bin/env bash
# Creates the class-data sharing archive the agentflow launcher uses (src/target/agentflow.jsa):
# the classes a JVM loads to run the example agent on the embedded server, parsed and verified once
# here instead of at every start. The launcher runs this once after each build of the jar; run it by
# hand after building with ./mvnw. The training run answers from the offline scripts (no model key
# is passed to it) and keeps its logs and blobs in a temporary AGENTFLOW_HOME, removed after.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/src/target/agentflow.jar"
jsa="$root/src/target/agentflow.jsa"
if [[ ! -f "$jar" ]]; then
  echo "✘ $jar not found: build it first (./mvnw -B -DskipTests -pl src -am package)" >&2
  exit 1
fi
tmp="$jsa.$$.tmp"
home="$(mktemp -d)"
trap 'rm -f "$tmp"; rm -rf "$home"' EXIT
env -u OPENAI_API_KEY AGENTFLOW_TIMINGS=0 AGENTFLOW_HOME="$home" java -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds*=off -Xlog:cds+dynamic=off \
    -XX:+UseSerialGC -Dpolyglot.engine.WarnInterpreterOnly=false -jar "$jar" \
    run "$root/definitions/tool-agent.yaml" --offline --input '{"question": "What is (17 + 25) * 3?"}' >/dev/null 2>&1
mv "$tmp" "$jsa"
echo "✓ class-data archive $jsa ($(du -h "$jsa" | cut -f1))" >&2
