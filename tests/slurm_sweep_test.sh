#!/usr/bin/env bash
# Integration test: a one-node Slurm cluster (munge + slurmctld + slurmd, as in
# ../shared/reference/slurm.md) runs a sweep as a 4-task job array; the merged shards must equal
# a local sweep of the same spec. Every daemon this test starts is stopped, by PID.
#   slurm_sweep_test.sh BITSYS SOURCE_DIR
#
# The cluster must not depend on the host name resolving (containers often have no /etc/hosts
# entry for it): the controller and the node are addressed as 127.0.0.1, slurmd is told its node
# name, and munged its origin address. Every wait is bounded, so the test passes or fails well
# within a minute and a half; on failure it prints the daemons' last log lines.
set -euo pipefail
bitsys=$1
src=$2

scratch=
job=             # the job array, once submitted
slurmctld_pid=
daemon_pids=()   # the daemons this test started, each a child of this shell
daemon_names=()

# The last lines of each daemon's log (the usual explanation of a failure): its own log file, or
# its stdout/stderr when it has none (munged -F) or died before opening it.
show_logs() {
  local name log
  for name in "${daemon_names[@]}"; do
    log=$scratch/log/$name.log
    [ -s "$log" ] || log=$scratch/log/$name.out
    [ -s "$log" ] || continue
    echo "---- last lines of $log ----" >&2
    tail -n 20 "$log" >&2
  done
}
fail_context=:   # a command that prints what else explains a failure at this stage
# The daemons' logs follow from cleanup, which shows them on any non-zero exit.
fail() { echo "FAIL: $*" >&2; "$fail_context"; exit 1; }

for b in munged munge unmunge slurmctld slurmd sbatch scontrol sinfo squeue setpriv timeout; do
  command -v "$b" >/dev/null || fail "$b is not installed (scripts/setup.sh installs munge slurmctld slurmd slurm-client)"
done
[ "$(id -u)" = 0 ] || fail "starting munge and the Slurm daemons needs root"

scratch=$(mktemp -d /tmp/bitsys-slurm.XXXXXX)
mkdir -p "$scratch"/{state,spool,run,log,out}

# Whether a daemon we started still runs. Bash's job table, not kill -0: bash reaps its children
# as they exit, after which the PID could name some other process.
alive() { jobs -rp | grep -qx "$1"; }
# On exit. After a failure (any non-zero exit: fail, an unexpected error under set -e, an
# interrupt), first show the daemons' logs. Then stop what we started:
# - a job still running is cancelled while slurmctld runs, since slurmd leaves its job steps
#   running when it stops;
# - the daemons, newest first (slurmd, slurmctld, munged), by PID; each is waited for, so it is
#   reaped and gone before we return, and SIGKILLed if it ignores SIGTERM for 5 s;
# - any job step that still outlived slurmd (slurmstepd ignores SIGTERM) and its processes: they
#   inherited SLURM_CONF naming our scratch folder, which no other process has.
cleanup() {
  local status=$? pid i d
  trap - EXIT INT TERM
  set +e   # clean up as much as possible whatever fails
  (( status == 0 )) || show_logs
  if [ -n "$job" ] && alive "$slurmctld_pid" && t scancel "$job" 2>/dev/null; then
    local end=$(( SECONDS + 3 ))   # the tasks are usually gone at once
    while [ -n "$(t squeue -h -j "$job" -o %i 2>/dev/null)" ] && (( SECONDS < end )); do sleep 0.2; done
  fi
  for (( i = ${#daemon_pids[@]} - 1; i >= 0; i-- )); do
    pid=${daemon_pids[i]}
    alive "$pid" || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
    grep -qzx "SLURM_CONF=$scratch/slurm.conf" "$d/environ" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
# ctest (or a user) may interrupt us: run the cleanup then too.
trap 'exit 130' INT
trap 'exit 143' TERM

# Start a daemon in the foreground as a background child, so its PID is known without trusting a
# PID file and a daemon that dies can be noticed while we wait. Its stdout/stderr go to log/NAME.out.
start_daemon() {
  local name=$1; shift
  "$@" >"$scratch/log/$name.out" 2>&1 </dev/null &
  daemon_pids+=("$!")
  daemon_names+=("$name")
}
# Fail at once if a daemon we started has exited.
check_daemons() {
  local i
  for i in "${!daemon_pids[@]}"; do
    if ! alive "${daemon_pids[i]}"; then
      fail "${daemon_names[i]} (PID ${daemon_pids[i]}) exited"
    fi
  done
}
# Client commands talk to slurmctld; bound each one so a daemon that does not answer (or a name
# lookup that waits on DNS) cannot hang us.
t() { timeout 5 "$@"; }
# wait_for SECS WHAT COMMAND...: poll COMMAND until it succeeds; fail once SECS
# have passed or a daemon has died. The deadline is in seconds, not in tries, because one try
# can itself take up to a client timeout.
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$(( SECONDS + secs ))
  until "$@"; do
    check_daemons
    (( SECONDS < end )) || fail "$what within $secs s"
    sleep 0.2
  done
}

# The node's name: the kernel's host name, read without any name resolution.
host=$(uname -n)
host=${host%%.*}

# munge: its run directory (nothing creates it without systemd), a key, the daemon. --origin keeps
# munged from looking up the host name (it would only warn, but say what we mean).
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then mungekey -c -k /etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; fi
munge_ok() { timeout 5 munge -n 2>/dev/null | timeout 5 unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  # setpriv execs munged as the munge user, so $! is munged itself (runuser would stay in between).
  start_daemon munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F --origin=127.0.0.1
  wait_for 5 "munged did not come up" munge_ok
fi

# SlurmctldHost=NAME(ADDR) and NodeAddr give both daemons an address that needs no lookup;
# NodeHostname ties the node to this machine's name, and slurmd -N names the node explicitly.
export SLURM_CONF="$scratch/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=bitsys-test
SlurmctldHost=$host(127.0.0.1)
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
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) / 2 )) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
start_daemon slurmctld slurmctld -D -i
slurmctld_pid=$!
start_daemon slurmd slurmd -D -N "$host"
# The cluster normally is up in well under a second.
cluster_up() { t scontrol ping 2>/dev/null | grep -q UP && t sinfo -h -o %t 2>/dev/null | grep -qE '^idle'; }
wait_for 20 "the Slurm controller did not answer or the node did not become idle" cluster_up

# Submit the array and poll it (not sbatch --wait, which waits with no bound) until every task
# has finished or the deadline passes; the tasks normally take a few seconds.
spec="$src/workloads/sweeps/resnet20-small.json"
job=$(t sbatch --parsable --array=0-3 --output="$scratch/out/task-%a.log" "$src/scripts/slurm/sweep.sbatch" "$spec" "$scratch/out" "$bitsys") \
  || fail "sbatch could not submit the job array"
job=${job%%;*}
echo "submitted job array $job"
states=
show_job() {
  echo "job array $job, task states:" >&2; echo "${states:-(none)}" >&2
  local f
  for f in "$scratch"/out/task-*.log; do [ -e "$f" ] && { echo "---- $f ----" >&2; cat "$f" >&2; }; done
  return 0
}
# --states=all keeps finished tasks in the list; -r lists each array task on its own line.
array_done() {
  states=$(t squeue -h -r -j "$job" --states=all -o '%i %T' 2>/dev/null) || states=
  [ "$(grep -cE ' (COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$' <<<"$states")" = 4 ]
}
fail_context=show_job
wait_for 30 "the job array did not finish" array_done
[ "$(grep -c ' COMPLETED$' <<<"$states")" = 4 ] || fail "the job array failed"
fail_context=:

timeout 20 "$bitsys" merge --spec "$spec" --out "$scratch/merged.jsonl" "$scratch"/out/shard-{0,1,2,3}.jsonl \
  || fail "bitsys merge failed"
timeout 20 "$bitsys" sweep "$spec" --out "$scratch/local.jsonl" -q || fail "the local sweep failed"
norm() { /usr/bin/python3 -c 'import json,sys; print("\n".join(sorted(json.dumps(json.loads(l), sort_keys=True) for l in open(sys.argv[1]))))' "$1"; }
diff <(norm "$scratch/merged.jsonl") <(norm "$scratch/local.jsonl") >/dev/null || fail "merged cluster results differ from the local sweep"
echo "slurm: 4-task job array merged into $(wc -l < "$scratch/merged.jsonl") points, equal to the local sweep"
