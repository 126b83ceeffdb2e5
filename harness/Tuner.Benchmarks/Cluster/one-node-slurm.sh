#!/usr/bin/env bash
# A throw-away one-node Slurm cluster on this machine (Debian 12's slurmctld + slurmd, 22.05), the same as the tests'
# fixture (tests/Tuner.Cli.Tests/Slurm/SlurmCluster.cs): auth/none (for trying and measuring only), two fake GPUs,
# 500 MB per CPU so array tasks run side by side. Needs root and `apt-get install --no-install-recommends slurmctld
# slurmd slurm-client`.
#   one-node-slurm.sh start DIR   writes DIR/slurm.conf, starts both daemons, waits for the node; prints export SLURM_CONF=...
#   one-node-slurm.sh stop DIR    cancels its jobs and stops the two daemons by the PIDs in DIR
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?a folder}
mkdir -p "$dir/state" "$dir/spool"; dir=$(cd "$dir" && pwd)
export SLURM_CONF="$dir/slurm.conf"
if [ "$cmd" = stop ]; then
  scancel --partition=tunertest 2>/dev/null || true; sleep 1
  for d in slurmctld slurmd; do [ -f "$dir/$d.pid" ] && kill "$(cat "$dir/$d.pid")" 2>/dev/null || true; done
  exit 0
fi
node=$(hostname -s); cpus=$(nproc)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cat > "$SLURM_CONF" <<CONF
ClusterName=tunertest
SlurmctldHost=$node
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(port)
SlurmdPort=$(port)
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MailProg=/bin/true
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=500
ReturnToService=2
KillWait=30
MinJobAge=600
GresTypes=gpu
NodeName=$node CPUs=$cpus RealMemory=$((1000 * cpus)) Gres=gpu:2 State=UNKNOWN
PartitionName=tunertest Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
printf 'NodeName=%s Name=gpu File=/dev/null\nNodeName=%s Name=gpu File=/dev/zero\n' "$node" "$node" > "$dir/gres.conf"
/usr/sbin/slurmctld -i; /usr/sbin/slurmd
for _ in $(seq 1 300); do [ "$(sinfo --noheader --format=%t 2>/dev/null)" = idle ] && break; sleep 0.2; done
echo "export SLURM_CONF=$SLURM_CONF"
