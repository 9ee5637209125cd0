#!/usr/bin/env bash
# Kill -9 and --resume: runs TRIALS kill-resume trials round robin over sft, reward train, dpo and ppo
# (trial i: seed i), each in child JVMs of the real CLI: an uninterrupted baseline per method, then per
# trial one or two kill -9s at moments drawn from the seeded RNG, --resume until the run finishes, and a
# byte comparison of model/ and adapter/ safetensors and samples.jsonl with the baseline. Prints one
# line per trial and "kill-resume: K/N identical"; exits 0 only when all N are identical.
#
#   bench/kill-resume.sh [TRIALS=12] [WORK=/tmp/align4j-kill-resume]
#
# Uses cli/target/align4j.jar; builds it (mvn -B -q -DskipTests package) only when it is missing.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/cli/target/align4j.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
java_bin="java"
[[ -n "${JAVA_HOME:-}" ]] && java_bin="$JAVA_HOME/bin/java"
exec "$java_bin" -Xmx512m -Dai.djl.offline=true -cp "$jar" dev.align4j.bench.killresume.KillResumeMain "$@"
