#!/usr/bin/env bash
# The nightly detector's power and false-alarm benchmark (README: "Nightly runs", detection power).
#
# Runs HISTORY unchanged nights of manifest.json (digits-mlp at lr 0.002, 7 seeds, one thread) into a fresh study store, then PAIRS
# pairs of nights: one with a real slowdown of FACTOR injected into every step (--inject-slowdown baseline=FACTOR; an
# injected night never becomes history), one unchanged. A night that exits 7 flagged a regression: on an injected night
# that is a detection, on an unchanged night a false alarm. Writes OUT/nights.tsv (one row per night: kind, exit code,
# throughput and time-to-target against the history, their verdicts) and prints the rates.
#
#   harness/Tuner.Benchmarks/NightlyPower/run.sh [OUT]      (environment: HISTORY=5 PAIRS=20 FACTOR=1.05 TUNER=path)
set -euo pipefail
cd "$(dirname "$0")/../../.."
tuner=${TUNER:-harness/Tuner.Cli/bin/Release/net10.0/tuner}
manifest=harness/Tuner.Benchmarks/NightlyPower/manifest.json
out=${1:-/tmp/tuner-nightly-power}
history=${HISTORY:-5}
pairs=${PAIRS:-20}
factor=${FACTOR:-1.05}
rm -rf "$out"
mkdir -p "$out"
printf 'night\tkind\texit\tthroughput_basis\tthroughput_tonight\tthroughput_history\tthroughput_vs_history\tthroughput_p\tthroughput_verdict\tttt_vs_history\tttt_verdict\tmachine_vs_history\tnotes\n' > "$out/nights.tsv"

night=0
run() {
  local kind=$1
  shift
  night=$((night + 1))
  local code=0
  "$tuner" nightly --manifest "$manifest" --storage "$out/history.db" --out "$out/night-$night" "$@" > "$out/night-$night.log" 2>&1 || code=$?
  if [[ $code -ne 0 && $code -ne 7 ]]; then
    echo "night $night ($kind) failed with exit $code:" >&2
    tail -3 "$out/night-$night.log" >&2
    exit 1
  fi
  python3 - "$out/night-$night/summary.csv" "$night" "$kind" "$code" >> "$out/nights.tsv" <<'PY'
import csv, sys
path, night, kind, code = sys.argv[1:]
row = next(r for r in csv.DictReader(open(path, newline='')) if r['label'] == 'baseline')
print('\t'.join([night, kind, code, row['throughput_basis'], row['throughput_tonight'], row['throughput_history'],
                 row['throughput_vs_history'], row['throughput_p'], row['throughput_verdict'], row['ttt_vs_history'],
                 row['ttt_verdict'], row['machine_vs_history'], row['notes'].replace('\t', ' ')]))
PY
  echo "night $night: $kind, exit $code"
}

for ((k = 0; k < history; k++)); do run history; done
for ((k = 0; k < pairs; k++)); do
  run injected --inject-slowdown "baseline=$factor"
  run unchanged
done

python3 - "$out/nights.tsv" "$factor" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=''), delimiter='\t'))
def count(kind):
    nights = [r for r in rows if r['kind'] == kind]
    return sum(r['exit'] == '7' for r in nights), len(nights)
d, n = count('injected')
f, m = count('unchanged')
h, k = count('history')
print(f"injected slowdown x{sys.argv[2]}: detected on {d} of {n} nights ({100 * d / max(n, 1):.0f}%)")
print(f"unchanged: false alarm on {f} of {m} nights ({100 * f / max(m, 1):.0f}%); while the history was being built: {h} of {k}")
PY
