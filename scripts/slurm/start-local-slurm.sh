#!/usr/bin/env bash
# Starts a real single-node SLURM cluster on this machine, for the sweep's
# integration test (test/integration/slurm.test.ts) and for trying
# examples/slurm/ without a cluster. The one node is this host; its partition
# `debug` is the default. Works in a container or VM without systemd: munged,
# slurmctld and slurmd are started directly, each in its own daemon mode.
#
#   scripts/slurm/start-local-slurm.sh [--install]
#
# --install  apt-get install slurm-wlm and munge when they are missing
#            (Debian; needs root). Without it a missing daemon is an error.
#
# Needs root (slurmd runs jobs as their submitting user). Idempotent: when the
# cluster already answers, it says so and leaves it running. Afterwards the
# clients find the configuration through /etc/slurm/slurm.conf (linked here
# when that file is absent) or through the SLURM_CONF line this script prints.
# Environment: AMARI_SLURM_DIR (default /var/tmp/amari-ep-slurm),
# AMARI_SLURM_TIMEOUT seconds to wait for the node to be idle (default 60).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=local-slurm-paths.sh
source "$here/local-slurm-paths.sh"
timeout_s="${AMARI_SLURM_TIMEOUT:-60}"

install=0
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    *) echo "start-local-slurm.sh: unknown argument '$arg'; allowed: --install" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "start-local-slurm.sh: must run as root (slurmd runs jobs as their users; munged's key is root-managed)" >&2
  exit 1
fi

# The daemons live in /usr/sbin, which a non-login root shell may not have.
export PATH="$PATH:/usr/sbin"
missing=()
for bin in munged slurmctld slurmd sbatch sinfo; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$install" -eq 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
  else
    echo "start-local-slurm.sh: missing ${missing[*]}; install Debian's slurm-wlm and munge, or rerun with --install" >&2
    exit 1
  fi
fi

export SLURM_CONF="$SLURM_CONF_FILE"

# Already up? Then there is nothing to do.
if [ -f "$SLURM_CONF_FILE" ] && scontrol ping 2>/dev/null | grep -q 'is UP' \
   && sinfo -h -N -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
  echo "local SLURM already running ($SLURM_CONF_FILE)"
  echo "export SLURM_CONF=$SLURM_CONF_FILE"
  exit 0
fi

# --- munge: the authentication every SLURM message carries ---------------
if ! getent passwd munge >/dev/null; then
  echo "start-local-slurm.sh: no 'munge' user; the munge package creates it (reinstall munge)" >&2
  exit 1
fi
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  # 1 KiB of randomness, readable by munged alone (munged refuses laxer modes).
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- munged
  # Recorded so that stop-local-slurm.sh stops only a munged that we started.
  mkdir -p "$AMARI_SLURM_DIR" && touch "$AMARI_SLURM_DIR/munged-started-here"
  for _ in $(seq 1 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    echo "start-local-slurm.sh: munged did not start; its log:" >&2
    tail -n 20 /var/log/munge/munged.log >&2 || true
    exit 1
  fi
fi

# --- the configuration: one node, this host -------------------------------
node="$(hostname -s)"
cpus="$(nproc)"
# MiB, as slurm.conf counts; slurmd measures a little less than MemTotal, so
# leave a margin lest it drain the node for "Low RealMemory".
mem_mib=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 95 / 100 / 1024 ))
mkdir -p "$AMARI_SLURM_DIR/state" "$AMARI_SLURM_DIR/spool" "$SLURM_LOG_DIR"
cat >"$SLURM_CONF_FILE" <<CONF
# Written by scripts/slurm/start-local-slurm.sh: a single-node cluster on $node.
ClusterName=amari-local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$AMARI_SLURM_DIR/state
SlurmdSpoolDir=$AMARI_SLURM_DIR/spool
SlurmctldPidFile=$SLURMCTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$SLURM_LOG_DIR/slurmctld.log
SlurmdLogFile=$SLURM_LOG_DIR/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
# No cgroups in containers: track processes by their parent ids, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
# Nobody to mail on a test machine; the default /bin/mail is usually absent.
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Trust this file over what slurmd measures, and bring a node that was down back.
SlurmdParameters=config_overrides
ReturnToService=2
# No accounting database, so sacct is empty: finished jobs stay visible to
# scontrol for an hour instead (the integration test reads their state there).
MinJobAge=3600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

if [ ! -e "$SYSTEM_SLURM_CONF" ] || [ "$(readlink "$SYSTEM_SLURM_CONF" || true)" = "$SLURM_CONF_FILE" ]; then
  mkdir -p "$(dirname "$SYSTEM_SLURM_CONF")"
  ln -sfn "$SLURM_CONF_FILE" "$SYSTEM_SLURM_CONF"
fi

# --- the daemons ---------------------------------------------------------
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# -c: a throwaway cluster starts clean, with no jobs or node states from a
# previous run. Each daemon forks into the background and writes its pid file.
alive "$SLURMCTLD_PID" || slurmctld -c -f "$SLURM_CONF_FILE" </dev/null >>"$SLURM_LOG_DIR/slurmctld.out" 2>&1
alive "$SLURMD_PID" || slurmd -c -f "$SLURM_CONF_FILE" -N "$node" </dev/null >>"$SLURM_LOG_DIR/slurmd.out" 2>&1

deadline=$(( $(date +%s) + timeout_s ))
state=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  state="$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null || true)"
  case "$state" in idle | mixed | allocated) break ;; esac
  sleep 1
done
case "$state" in
  idle | mixed | allocated) ;;
  *)
    echo "start-local-slurm.sh: node $node not idle after ${timeout_s}s (state: '${state:-no answer}')" >&2
    for log in slurmctld.log slurmd.log slurmctld.out slurmd.out; do
      [ -s "$SLURM_LOG_DIR/$log" ] && { echo "--- $SLURM_LOG_DIR/$log (last 20 lines)" >&2; tail -n 20 "$SLURM_LOG_DIR/$log" >&2; }
    done
    exit 1
    ;;
esac

echo "local SLURM up: node $node, $cpus CPUs, ${mem_mib} MiB, partition debug ($SLURM_CONF_FILE)"
echo "export SLURM_CONF=$SLURM_CONF_FILE"
