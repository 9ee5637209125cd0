#!/usr/bin/env bash
# Same inputs, same bytes, under load: repeats one seeded run N times while another process keeps a
# core busy, each run in a fresh JVM with a different glibc MALLOC_PERTURB_, and compares the final
# weights (and samples) with the first run's. Prints one line per run and then "K/N identical";
# exits 0 only when all N are identical.
#
#   bench/determinism.sh pretrain-llama [N=20] [WORK=/tmp/align4j-determinism]
#   bench/determinism.sh ppo-sentiment  [N=10] [WORK=...]
#
# pretrain-llama: the tiny-llama pretrain of issue 12 (BPE 512, seq_len 128, batch 16, 40 steps).
# ppo-sentiment:  ppo/examples/sentiment.yaml from the sentiment SFT and reward models, which are
#                 built once first (data synth, sft, data pairs, reward train), then PPO N times.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mode="${1:?usage: bench/determinism.sh pretrain-llama|ppo-sentiment [N] [WORK]}"
case "$mode" in
  pretrain-llama) n="${2:-20}" ;;
  ppo-sentiment) n="${2:-10}" ;;
  *) echo "unknown mode '$mode' (pretrain-llama, ppo-sentiment)" >&2; exit 2 ;;
esac
work="${3:-/tmp/align4j-determinism}/$mode"
a4j="$root/align4j"
mkdir -p "$work"
cd "$root"

# one core kept busy for the whole run
( while :; do :; done ) &
busy=$!
trap 'kill $busy 2>/dev/null || true' EXIT

prepare() {
  case "$mode" in
    pretrain-llama)
      [[ -f "$work/tok/tokenizer.json" ]] || "$a4j" tokenizer train --vocab-size 512 \
        --input cli/src/main/resources/corpus/quickstart.txt --out "$work/tok" >/dev/null ;;
    ppo-sentiment)
      [[ -f "$work/data/prompts_train.jsonl" ]] || "$a4j" data synth sentiment --out "$work/data" >/dev/null
      [[ -f "$work/sft/model/model.safetensors" ]] || "$a4j" sft --config sft/examples/sentiment.yaml \
        --data "$work/data/sft.jsonl" --output-dir "$work/sft" >/dev/null
      [[ -f "$work/pairs.jsonl" ]] || "$a4j" data pairs sentiment --model "$work/sft/model" \
        --prompts "$work/data/prompts_train.jsonl" --out "$work/pairs.jsonl" >/dev/null
      [[ -f "$work/rm/model/model.safetensors" ]] || "$a4j" reward train \
        --config reward-model/examples/sentiment.yaml --model "$work/sft/model" --data "$work/pairs.jsonl" \
        --output-dir "$work/rm" >/dev/null ;;
  esac
}

one_run() { # $1 = run folder
  case "$mode" in
    pretrain-llama)
      "$a4j" pretrain --text cli/src/main/resources/corpus/quickstart.txt --model-config tiny-llama \
        --tokenizer "$work/tok" --max-steps 40 --set seq_len=128 --set per_device_train_batch_size=16 \
        --set weight_decay=0.1 --set eval_steps=0 --set save_steps=500 --output-dir "$1" ;;
    ppo-sentiment)
      "$a4j" ppo --config ppo/examples/sentiment.yaml --policy "$work/sft/model" --reward "$work/rm/model" \
        --prompts "$work/data/prompts_train.jsonl" --set sample_prompts="$work/data/prompts_eval.jsonl" \
        --output-dir "$1" ;;
  esac
}

digest() { # weights and samples of a finished run
  (cd "$1" && sha256sum model/model.safetensors samples.jsonl 2>/dev/null | sha256sum | cut -c1-16)
}

prepare
first=""
same=0
for i in $(seq 1 "$n"); do
  run="$work/run-$i"
  rm -rf "$run"
  perturb=$(( (i * 37) % 255 + 1 ))
  start=$(date +%s)
  if MALLOC_PERTURB_=$perturb one_run "$run" >"$work/run-$i.log" 2>&1; then
    d=$(digest "$run")
  else
    d="failed(exit $?, see $work/run-$i.log)"
  fi
  [[ -z "$first" ]] && first="$d"
  [[ "$d" == "$first" ]] && same=$((same + 1))
  echo "run $i/$n  MALLOC_PERTURB_=$perturb  $(( $(date +%s) - start ))s  $d  load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "$same/$n identical"
[[ "$same" == "$n" ]]
