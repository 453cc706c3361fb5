#!/usr/bin/env bash
# Stops the single-node cluster that start-local-slurm.sh started: slurmd,
# slurmctld and munged, each by the pid it recorded, and removes the
# /etc/slurm/slurm.conf link if it is ours. Keeps the logs under
# $AMARI_SLURM_DIR/log for a post-mortem. Stopping a stopped cluster is fine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=local-slurm-paths.sh
source "$here/local-slurm-paths.sh"

# Sends TERM to the pid in $1 and waits up to 10 s for it to go.
stop_pid_file() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && echo "stop-local-slurm.sh: pid $pid ($file) still running after 10 s" >&2
  fi
  rm -f "$file"
}

stop_pid_file "$SLURMD_PID"
stop_pid_file "$SLURMCTLD_PID"
# munged only if start-local-slurm.sh started it: a host that ran munged
# before us keeps it.
if [ -f "$AMARI_SLURM_DIR/munged-started-here" ]; then
  stop_pid_file /run/munge/munged.pid
  rm -f "$AMARI_SLURM_DIR/munged-started-here"
fi
if [ "$(readlink "$SYSTEM_SLURM_CONF" 2>/dev/null || true)" = "$SLURM_CONF_FILE" ]; then
  rm -f "$SYSTEM_SLURM_CONF"
fi
echo "local SLURM stopped (logs in $SLURM_LOG_DIR)"
