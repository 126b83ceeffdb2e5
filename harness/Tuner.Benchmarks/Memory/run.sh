#!/usr/bin/env bash
# Activation memory on bible-lm (README: "Memory as a resource"): peak resident memory of 20 training steps at batch 32
# and 256 (at 1024 a step took 13 s on one thread), plain, with activation checkpointing and with gradient accumulation,
# each `tuner run` in its own process on one thread. Rows are measured twice: with glibc's default malloc (its mmap
# threshold adapts upwards once large blocks are freed, so freed activation memory stays in the heap and the high-water
# mark overstates what was live) and with MALLOC_MMAP_THRESHOLD_=131072 pinned (large tensors come from mmap and go back
# to the kernel when freed). Last, the throughput of the baseline under both allocators (a 20 s run), so the price of
# pinning is on record. About 10 minutes.
# Writes OUT/memory.tsv and prints it.
#
#   harness/Tuner.Benchmarks/Memory/run.sh [OUT]      (environment: TUNER=path)
set -euo pipefail
cd "$(dirname "$0")/../../.."
tuner=${TUNER:-harness/Tuner.Cli/bin/Release/net10.0/tuner}
out=${1:-/tmp/tuner-memory}
rm -rf "$out"
mkdir -p "$out"
printf 'malloc\tbatch\tconfiguration\tpeak_rss_mib\tthroughput_samples_per_s\n' > "$out/memory.tsv"
row() {
  local malloc=$1 batch=$2 budget=$3
  shift 3
  local env=()
  [ "$malloc" = pinned ] && env=(env MALLOC_MMAP_THRESHOLD_=131072)
  "${env[@]}" "$tuner" run --suite bible-lm --threads 1 --seed 1 --budget "$budget" --set batch_size="$batch" \
    --out "$out/runs.jsonl" "$@" > "$out/$malloc-$batch$*.log" 2>&1 || true
  python3 - "$out/runs.jsonl" "$malloc" "$batch" "$*" >> "$out/memory.tsv" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
rate = r['throughput_samples_per_second'] or r['samples_per_second']
print('\t'.join([sys.argv[2], sys.argv[3], sys.argv[4] or 'baseline', f"{r['peak_rss_bytes'] / 1048576:.0f}", f"{rate:.0f}"]))
PY
}
for malloc in default pinned; do
  for batch in 32 256; do
    row $malloc $batch 20steps
    row $malloc $batch 20steps --technique activation_checkpointing
    row $malloc $batch 20steps --technique grad_accumulation:micro_batches=4
  done
done
row default 32 20s
row pinned 32 20s
column -t -s $'\t' "$out/memory.tsv"
