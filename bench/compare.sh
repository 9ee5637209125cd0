#!/usr/bin/env bash
# Runs the PyTorch peer (../shared/peers/torch_gpt_bench.py) and `align4j bench` back to back on the
# same shape, RUNS times each, and prints the medians and the ratios ours/peer as JSON.
#   bench/compare.sh [RUNS] [vocab=8192,ctx=256,...]
# The peer needs a python3 that imports torch (Debian: apt-get install python3-torch
# libopenblas0-pthread); the first such python3 on the PATH, or /usr/bin/python3, is used.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
runs="${1:-3}"
shape="${2:-vocab=8192,ctx=256,layers=4,d=256,heads=4,batch=8,steps=12,warm=3}"
threads="${ALIGN4J_THREADS:-$(nproc)}"
peer=../shared/peers/torch_gpt_bench.py
[ -f "$peer" ] || { echo "compare.sh: $peer not found" >&2; exit 2; }
py=""
for cand in $(which -a python3 2>/dev/null) /usr/bin/python3; do
  if "$cand" -c 'import torch' 2>/dev/null; then py="$cand"; break; fi
done
[ -n "$py" ] || { echo "compare.sh: no python3 with torch (apt-get install python3-torch libopenblas0-pthread)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
peer_args=$(echo "$shape" | tr ',' ' ')
for i in $(seq 1 "$runs"); do
  echo "run $i/$runs: peer" >&2
  "$py" "$peer" $peer_args threads="$threads" > "$out/peer-$i.json"
  echo "run $i/$runs: align4j" >&2
  ALIGN4J_THREADS="$threads" ./align4j bench --config "$shape" --json "$out/ours-$i.json" > /dev/null
done
"$py" - "$out" "$runs" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
peer = [json.load(open(f"{d}/peer-{i}.json")) for i in range(1, n + 1)]
ours = [json.load(open(f"{d}/ours-{i}.json")) for i in range(1, n + 1)]
med = lambda rows, k: statistics.median(r[k] for r in rows if r.get(k) is not None)
res = {"runs": n, "peer": peer[0]["peer"], "peer_threads": peer[0]["threads"]}
for k in ["sft_tokens_per_s", "dpo_pairs_per_s", "gen_tokens_per_s"]:
    p, o = med(peer, k), med(ours, k)
    res[k] = {"peer": p, "align4j": o, "ratio": round(o / p, 2)}
for k in ["mfu", "matmul_gflops", "gen_uncached_tokens_per_s", "gen_cache_speedup",
          "lora_sft_tokens_per_s", "qlora_sft_tokens_per_s", "full_weights_plus_optimizer_bytes",
          "lora_weights_plus_optimizer_bytes", "qlora_weights_plus_optimizer_bytes", "peak_rss_mb",
          "ppo_iteration_s"]:
    vals = [r[k] for r in ours if r.get(k) is not None]
    if vals:
        res[k] = statistics.median(vals)
if "qlora_weights_plus_optimizer_bytes" in res:
    res["qlora_memory_share_of_full"] = round(res["qlora_weights_plus_optimizer_bytes"]
                                              / res["full_weights_plus_optimizer_bytes"], 3)
splits = [r["ppo_split"] for r in ours if r.get("ppo_split")]
if splits:
    res["ppo_split"] = {k: statistics.median(x[k] for x in splits) for k in splits[0]}
res["dpo_note"] = ours[0].get("dpo_note")
print(json.dumps(res, indent=2))
PY
