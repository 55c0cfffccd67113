#!/usr/bin/env bash
# Integration test: a one-node Slurm cluster (munge + slurmctld + slurmd, as in
# ../shared/reference/slurm.md) runs a sweep as a 4-task job array; the merged shards must equal
# a local sweep of the same spec. Every daemon this test starts is stopped, by PID.
#   slurm_sweep_test.sh BITSYS SOURCE_DIR
set -euo pipefail
bitsys=$1
src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for b in munged munge unmunge slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$b" >/dev/null || fail "$b is not installed (scripts/setup.sh installs munge slurmctld slurmd slurm-client)"
done
[ "$(id -u)" = 0 ] || fail "starting munge and the Slurm daemons needs root"

scratch=$(mktemp -d /tmp/bitsys-slurm.XXXXXX)
mkdir -p "$scratch"/{state,spool,run,log,out}
started_munge=
cleanup() {
  for pidfile in "$scratch/run/slurmd.pid" "$scratch/run/slurmctld.pid"; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ -n "$started_munge" ] && [ -s /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
  sleep 0.5
  rm -rf "$scratch"
}
trap cleanup EXIT

host=$(hostname -s)
# munge: its run directory (nothing creates it without systemd), a key, the daemon.
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then mungekey -c -k /etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  started_munge=1
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || fail "munged did not come up"
fi

export SLURM_CONF="$scratch/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=bitsys-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/run/slurmctld.pid
SlurmdPidFile=$scratch/run/slurmd.pid
SlurmctldLogFile=$scratch/log/slurmctld.log
SlurmdLogFile=$scratch/log/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) / 2 )) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i
slurmd
for _ in $(seq 100); do
  scontrol ping 2>/dev/null | grep -q UP && sinfo -h -o %t 2>/dev/null | grep -qE '^idle' && break
  sleep 0.2
done
sinfo -h -o %t | grep -qE '^idle' || { tail -5 "$scratch"/log/*.log >&2; fail "the Slurm node did not become idle"; }

spec="$src/tests/data/sweep-small.json"
sbatch --wait --array=0-3 --output="$scratch/out/task-%a.log" "$src/scripts/slurm/sweep.sbatch" "$spec" "$scratch/out" "$bitsys" \
  || { cat "$scratch"/out/task-*.log >&2; fail "the job array failed"; }
"$bitsys" merge --spec "$spec" --out "$scratch/merged.jsonl" "$scratch"/out/shard-{0,1,2,3}.jsonl
"$bitsys" sweep "$spec" --out "$scratch/local.jsonl" -q
norm() { /usr/bin/python3 -c 'import json,sys; print("\n".join(sorted(json.dumps(json.loads(l), sort_keys=True) for l in open(sys.argv[1]))))' "$1"; }
diff <(norm "$scratch/merged.jsonl") <(norm "$scratch/local.jsonl") >/dev/null || fail "merged cluster results differ from the local sweep"
echo "slurm: 4-task job array merged into $(wc -l < "$scratch/merged.jsonl") points, equal to the local sweep"
