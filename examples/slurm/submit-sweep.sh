#!/usr/bin/env bash
# Submits an amari-ep sweep to SLURM: an array job with one shard per task,
# then a merge job that runs only after every task succeeded (afterok).
#
#   examples/slurm/submit-sweep.sh [SWEEP_ARGS...]
#
# SWEEP_ARGS are `amari-ep sweep`'s arguments without --shard and --out, e.g.
#   --config examples/shifted-16.json --param kernel.shift.0=0:1:5 --steps 20000
# (that sweep, with --backend cpu, is the default when none are given).
# Environment, with defaults:
#   SWEEP_DIR     output directory, made absolute   ./sweep-out
#   SWEEP_SHARDS  array tasks (shards)              4
#   AMARI_EP      the amari-ep command              amari-ep
#   SBATCH_ARGS   extra sbatch options for both jobs, e.g. "--partition=gpu --account=lab"
#   ARRAY_SBATCH_ARGS  extra options for the array only, e.g. "--gres=gpu:1"
# sbatch's own variables (SBATCH_PARTITION, SBATCH_TIMELIMIT, ...) work too.
# Prints "array <id>" and "merge <id>"; the result lands in $SWEEP_DIR/merged,
# the jobs' logs in $SWEEP_DIR/logs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

shards="${SWEEP_SHARDS:-4}"
case "$shards" in
  '' | *[!0-9]* | 0) echo "submit-sweep.sh: SWEEP_SHARDS is '$shards'; allowed: a whole number ≥ 1" >&2; exit 2 ;;
esac
mkdir -p "${SWEEP_DIR:-sweep-out}"
SWEEP_DIR="$(cd "${SWEEP_DIR:-sweep-out}" && pwd)"
export SWEEP_DIR
export AMARI_EP="${AMARI_EP:-amari-ep}"
mkdir -p "$SWEEP_DIR/logs"

if [ "$#" -eq 0 ]; then
  set -- --config examples/shifted-16.json --param kernel.shift.0=0:1:5 --steps 20000 --backend cpu
fi

# Word splitting of the two option lists is intended: they hold several options.
# shellcheck disable=SC2086
array_id="$(sbatch --parsable --export=ALL --chdir="$PWD" ${SBATCH_ARGS:-} ${ARRAY_SBATCH_ARGS:-} \
  --array="1-$shards" --output="$SWEEP_DIR/logs/shard-%a.out" \
  "$here/sweep-array.sbatch" "$@")"
array_id="${array_id%%;*}" # --parsable prints "id" or "id;cluster"
# shellcheck disable=SC2086
merge_id="$(sbatch --parsable --export=ALL --chdir="$PWD" ${SBATCH_ARGS:-} \
  --dependency="afterok:$array_id" --kill-on-invalid-dep=yes --output="$SWEEP_DIR/logs/merge.out" \
  "$here/sweep-merge.sbatch")"
merge_id="${merge_id%%;*}"

echo "array $array_id"
echo "merge $merge_id"
