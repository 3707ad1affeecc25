#!/usr/bin/env bash
# Scale by simulation: JOBS PassThroughModel jobs on a 32x32x8 phantom through 8 in-process silos (2 with the GPU role
# holding the model replicas, 6 holding the job grains), job state and reminders on local disk, retention 2 min. Prints
# throughput per tenth of the run, jobs lost, memory, activations, and what storage holds once retention has run.
# usage: bench/run-simulation.sh [JOBS] [--kill-every SECONDS] [other cluster-simulation options]
#        (default 200 jobs; --kill-every 60 kills a random silo, of any role, every minute and starts a replacement)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=200
if [[ $# -gt 0 && $1 != --* ]]; then jobs=$1; shift; fi
dotnet build -c Release bench/Cluster.Simulation -v q -nologo >/dev/null
dotnet bench/Cluster.Simulation/bin/Release/net10.0/cluster-simulation.dll --jobs "$jobs" "$@"
