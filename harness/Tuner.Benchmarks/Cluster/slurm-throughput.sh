#!/usr/bin/env bash
# Measures tuner search --launcher slurm on the cluster of $SLURM_CONF against the PostgreSQL store URL given:
# for 1 and 2 array tasks, the time from sbatch to the first trial claimed by a task, and trials per minute over the
# whole command (8 digits-mlp trials of a 3 s budget; target 0.999 is never reached, so each runs its whole budget);
# then the same search with local worker processes (--launcher local --workers N --isolate) for comparison.
#   slurm-throughput.sh postgres://USER@HOST:PORT/DB [TRIALS] [BUDGET]   (the password, if any, in PGPASSWORD)
set -euo pipefail
url=${1:?a PostgreSQL URL}; trials=${2:-8}; budget=${3:-3s}
root=$(cd "$(dirname "$0")/../../.." && pwd)
tuner="$root/harness/Tuner.Cli/bin/Release/net10.0/tuner.dll"
work=$(mktemp -d); cd "$work"
echo "| launcher | workers | trials | submit to first claim (s) | command wall time (s) | trials per minute |"
echo "|---|---:|---:|---:|---:|---:|"
for tasks in 1 2; do
  study="bench-slurm-$tasks-$(date +%s)"
  start=$(date +%s.%N); submitted=""
  while IFS= read -r line; do
    case "$line" in "submitted Slurm array"*) submitted=$(date +%s.%N);; esac
  done < <(dotnet "$tuner" search --suite digits-mlp --tuner random --trials "$trials" --budget "$budget" --target 0.999 --cap 0 --no-prune \
             --storage "$url" --study "$study" --launcher slurm --workers "$tasks" 2>&1)
  end=$(date +%s.%N)
  first=$(psql "$url" -At -c "SELECT min(extract(epoch FROM (t.record_json::jsonb->>'started_at')::timestamptz)) FROM tuner.trials t JOIN tuner.studies s ON s.id = t.study_id WHERE s.name = '$study'")
  python3 -c "print(f'| slurm (array tasks) | $tasks | $trials | {$first - $submitted:.1f} | {$end - $start:.1f} | {$trials * 60 / ($end - $start):.1f} |')"
done
for workers in 1 2; do
  start=$(date +%s.%N)
  dotnet "$tuner" search --suite digits-mlp --tuner random --trials "$trials" --budget "$budget" --target 0.999 --cap 0 --no-prune \
    --storage "$url" --study "bench-local-$workers-$(date +%s)" --workers "$workers" --isolate >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'| local (worker processes) | $workers | $trials | - | {$end - $start:.1f} | {$trials * 60 / ($end - $start):.1f} |')"
done
rm -rf "$work"
