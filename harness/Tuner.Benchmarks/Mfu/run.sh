#!/usr/bin/env bash
# Model FLOPs utilisation of the built-in suites' baselines (README: "Model FLOPs utilisation"): one `tuner run` per row
# on one thread, each measuring its own GEMM peak in the same process. Writes OUT/mfu.tsv and prints it.
#
#   harness/Tuner.Benchmarks/Mfu/run.sh [OUT]      (environment: TUNER=path)
set -euo pipefail
cd "$(dirname "$0")/../../.."
tuner=${TUNER:-harness/Tuner.Cli/bin/Release/net10.0/tuner}
out=${1:-/tmp/tuner-mfu}
rm -rf "$out"
mkdir -p "$out"
printf 'suite\tconfiguration\tmodel_mflop_per_sample\tthroughput_samples_per_s\tachieved_gflop_s\tpeak_gflop_s\tpeak_kind\tmfu\n' > "$out/mfu.tsv"
row() {
  local suite=$1
  shift
  "$tuner" run --suite "$suite" --threads 1 --seed 1 --out "$out/$suite.jsonl" "$@" > "$out/$suite$*.log" 2>&1 || true
  python3 - "$out/$suite.jsonl" "$suite" "$*" >> "$out/mfu.tsv" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
rate = r['throughput_samples_per_second'] or r['samples_per_second']
kind = 'bf16' if any(t['name'] == 'precision' for t in r['configuration']['techniques']) else 'fp32'
print('\t'.join([sys.argv[2], sys.argv[3] or 'baseline', f"{r['model_flops_per_sample'] / 1e6:.3f}", f"{rate:.0f}",
                 f"{r['achieved_flops_per_second'] / 1e9:.1f}", f"{r['peak_flops_per_second'] / 1e9:.1f}", kind, f"{r['mfu']:.2f}"]))
PY
}
row fashion-mlp
row fashion-mlp --technique precision
row fashion-cnn --budget 10s
row digits-mlp
row bible-lm --budget 30s
row bible-lm --budget 30s --technique precision
row bible-lm --budget 30s --technique attention
row spam-encoder --budget 30s
column -t -s $'\t' "$out/mfu.tsv"
