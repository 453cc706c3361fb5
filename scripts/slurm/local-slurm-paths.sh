# shellcheck shell=bash disable=SC2034  # sourced: the variables are used by the scripts that source it
# Sourced by start-local-slurm.sh and stop-local-slurm.sh: where the local
# single-node cluster keeps its configuration, state, spool and logs. One
# directory, so stopping and starting again never touches the rest of the host.
AMARI_SLURM_DIR="${AMARI_SLURM_DIR:-/var/tmp/amari-ep-slurm}"
SLURM_CONF_FILE="$AMARI_SLURM_DIR/slurm.conf"
SLURM_LOG_DIR="$AMARI_SLURM_DIR/log"
SLURMCTLD_PID="$AMARI_SLURM_DIR/slurmctld.pid"
SLURMD_PID="$AMARI_SLURM_DIR/slurmd.pid"
# The clients (sinfo, sbatch, scontrol) read /etc/slurm/slurm.conf unless
# SLURM_CONF says otherwise; where that file is absent we link it to ours.
SYSTEM_SLURM_CONF=/etc/slurm/slurm.conf
