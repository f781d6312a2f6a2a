#!/usr/bin/env bash
# A throwaway one-node Slurm cluster for planrisk's tests.
#
#   cluster.sh up DIR     install slurm + munge when missing (root, apt-get), then start
#                         munged, slurmctld and slurmd with every file under DIR, wait
#                         until the node is idle, and write DIR/env.sh (SLURM_CONF).
#   cluster.sh down DIR   cancel the cluster's jobs, stop the daemons started by `up`
#                         (by the pids in their pid files), keep DIR for inspection.
#
# Why it looks like this:
# - Cgroup plugins are off (proctrack/linuxproc, task/none, jobacct_gather/none):
#   containers and CI machines rarely give a writable cgroup tree, and nothing here
#   needs resource enforcement.
# - SlurmUser=root: CI runs as root, and the daemons then need no extra account.
# - The node's CPUs and RealMemory come from `slurmd -C`, so slurmd registers with what
#   slurmctld expects (a node that reports less than configured is drained).
# - NodeName is the short hostname as slurmd sees it (also passed with -N) and every
#   address is 127.0.0.1, so whether the host name resolves does not matter.
# - munged runs on its own socket and key in DIR; slurm reaches it through
#   AuthInfo=socket=…, so a system munged (or none) does not interfere.
# - Ports are chosen free at start, so a second cluster or a system slurm does not clash.
# Every failure exits non-zero with a message saying what failed and where its log is:
# a test that needs this cluster must fail, never skip, where Slurm cannot run.
set -euo pipefail

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

need_packages() {
  local missing=()
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] ||
    die "Slurm is not installed (missing: ${missing[*]}) and installing it needs root:" \
      "run 'apt-get install -y munge slurmctld slurmd slurm-client' as root"
  command -v apt-get >/dev/null 2>&1 ||
    die "Slurm is not installed (missing: ${missing[*]}) and there is no apt-get to install it"
  echo "cluster.sh: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine; refresh once and retry.
  apt-get install -y --no-install-recommends munge slurmctld slurmd slurm-client >&2 ||
    { apt-get update >&2 &&
      apt-get install -y --no-install-recommends munge slurmctld slurmd slurm-client >&2; } ||
    die "apt-get could not install munge slurmctld slurmd slurm-client"
}

# A TCP port nobody listens on (state 0A in /proc/net/tcp*), from a random start.
free_port() {
  local port=$((20000 + RANDOM % 30000)) hex
  for _ in $(seq 1 200); do
    hex=$(printf '%04X' "$port")
    if ! grep -qs ":$hex [0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6; then
      echo "$port"
      return 0
    fi
    port=$((port + 2))
  done
  die "no free TCP port found"
}

# Only the root of the cluster's state may be given; refuse to scatter files elsewhere.
check_dir() {
  [ -n "${1:-}" ] || die "usage: cluster.sh up|down DIR"
  mkdir -p "$1"
  DIR=$(cd "$1" && pwd)
}

write_conf() {
  local host=$1 node_line=$2 ctld_port=$3 slurmd_port=$4
  cat >"$DIR/slurm.conf" <<EOF
# Written by planrisk's tests/slurm/cluster.sh: a one-node test cluster.
ClusterName=planrisk-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Finished jobs leave squeue quickly, so a test can wait for an empty queue.
MinJobAge=2
NodeName=$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  # munged wants its socket's directory searchable by everyone, and its key private.
  mkdir -p "$DIR/munge"
  chmod 755 "$DIR/munge"
  if [ ! -s "$DIR/munge/munge.key" ]; then
    (umask 077 && head -c 1024 /dev/urandom >"$DIR/munge/munge.key")
  fi
  munged --socket="$DIR/munge/munge.socket" --key-file="$DIR/munge/munge.key" \
    --log-file="$DIR/log/munged.log" --pid-file="$DIR/run/munged.pid" \
    --seed-file="$DIR/munge/munged.seed" ||
    die "munged did not start; see $DIR/log/munged.log"
  munge -S "$DIR/munge/munge.socket" -n | unmunge -S "$DIR/munge/munge.socket" >/dev/null ||
    die "munge credentials do not round-trip; see $DIR/log/munged.log"
}

wait_idle() {
  local state=""
  for _ in $(seq 1 120); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = idle ] && return 0
    sleep 0.5
  done
  echo "--- $DIR/log/slurmctld.log" >&2
  tail -n 20 "$DIR/log/slurmctld.log" >&2 || true
  echo "--- $DIR/log/slurmd.log" >&2
  tail -n 20 "$DIR/log/slurmd.log" >&2 || true
  die "the node did not become idle within 60 s (state: '${state:-none}')"
}

up() {
  check_dir "$1"
  need_packages
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/run"
  local node_line host
  # `slurmd -C` prints "NodeName=<short hostname> CPUs=… RealMemory=…" for this
  # machine: the name slurmd will look itself up as, and what it will report.
  node_line=$(slurmd -C | head -n 1 | sed 's/^NodeName=//')
  host=${node_line%% *}
  [ -n "$host" ] && [ "$host" != "$node_line" ] ||
    die "slurmd -C printed no node description"
  write_conf "$host" "$node_line" "$(free_port)" "$(free_port)"
  export SLURM_CONF="$DIR/slurm.conf"
  printf 'export SLURM_CONF=%q\n' "$SLURM_CONF" >"$DIR/env.sh"
  start_munge
  slurmctld -f "$SLURM_CONF" || die "slurmctld did not start; see $DIR/log/slurmctld.log"
  slurmd -f "$SLURM_CONF" -N "$host" || die "slurmd did not start; see $DIR/log/slurmd.log"
  wait_idle
}

# Whether a process runs (a zombie, which nobody may reap in a container, does not).
running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Stops one daemon by its pid file and waits for it to go (slurmctld saves its state
# first: about 2 s).
stop_pid() {
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    running "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  check_dir "$1"
  export SLURM_CONF="$DIR/slurm.conf"
  if [ -f "$SLURM_CONF" ]; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 50); do
      [ -z "$(squeue -h 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$DIR/run/slurmd.pid"
  stop_pid "$DIR/run/slurmctld.pid"
  stop_pid "$DIR/run/munged.pid"
}

case "${1:-}" in
up) up "${2:-}" ;;
down) down "${2:-}" ;;
*) die "usage: cluster.sh up|down DIR" ;;
esac
