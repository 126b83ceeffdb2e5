#!/usr/bin/env bash
# Builds the sample workloads against the Tuner packages, as a user's project would, and runs them with the tuner:
# `tuner run`, a short `tuner search`, and the search's trials in worker processes (--isolate). CI runs this
# (.ci/run); the README's section "Your own model" walks through the same steps.
#   suites/samples/run.sh            after `dotnet build Tuner.sln -c Release`
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tuner=(dotnet "$root/harness/Tuner.Cli/bin/Release/net10.0/tuner.dll")
out=${SAMPLES_OUT:-$(mktemp -d)}
start=$(date +%s)

# 1. The packages, into the local folder feed that suites/samples/nuget.config names.
rm -rf "$here/packages"
for project in harness/Tuner.Core harness/Tuner.Training techniques/Tuner.Techniques; do
  dotnet pack "$root/$project" -c Release --no-build -o "$here/packages" -nologo -v:q
done
ls "$here/packages"

# 2. The sample, restored into a package folder of its own (a global cache would keep an older build of the same
#    version; TorchSharp stays cached between runs).
rm -rf "$here/.nuget/packages"/tuner.*
dotnet build "$here/Spirals" -c Release -nologo -v:q --packages "$here/.nuget/packages"

# 3. One trial, then a short search in this process and one in worker processes (each loads the assembly itself).
"${tuner[@]}" run --suite "$here/Spirals/spirals.json" --threads 1 --seed 1 --out "$out/trials.jsonl"
"${tuner[@]}" search --suite "$here/Spirals/spirals.json" --trials 6 --storage "$out/studies.db" --report "$out/search.csv" --study spirals-inproc
"${tuner[@]}" search --suite "$here/Spirals/spirals.json" --trials 3 --storage "$out/studies.db" --report "$out/search-workers.csv" --study spirals-workers --isolate
echo "samples: passed in $(( $(date +%s) - start )) s (output in $out)"
