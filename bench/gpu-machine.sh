#!/usr/bin/env bash
# The benchmark on a bare Linux x64 machine with an NVIDIA GPU, through Dawn's
# Vulkan backend, where neither Node nor the project is installed.
#
#   bash bench/gpu-machine.sh pack              here, in the repository: assembles .gpu-machine/
#   bash bench/gpu-machine.sh run [ARGS...]     there: the benchmark (default --quick; --smoke,
#                                               --full or any bench/run.ts argument), its Markdown,
#                                               JSON and log into $OUT if set, else .gpu-machine/results/
#   bash bench/gpu-machine.sh exec FILE [ARGS...]
#                                               there or here: the packed Node on a file of the packed
#                                               project, e.g. dist/cli/main.js theory --preset irreversible,
#                                               or build/bench/sweep-batch.js --grid 64 --points 32 (a sweep
#                                               batched against one point at a time: npm run bench:sweep)
#
# What the pack holds (.gpu-machine/, about 50 MiB: the device tool carries 64 at most,
# so the two large parts travel compressed and are unpacked on the machine):
#   node.tar.xz   Node 20+ for Linux x64: a tarball of nodejs.org's build found in
#                 bench/gpu-machine-node/ (or $NODE_TARBALL), else downloaded from
#                 nodejs.org (checksum verified), else this machine's own node when it
#                 is such a build (Linux x64, statically linked but for glibc)
#   app.tar.xz    the project: dist/ (npm run build: the CLI), build/ (the benchmark
#                 compiled with the sources it imports, bench/tsconfig.gpu-machine.json,
#                 and the Python peers' scripts), package.json, and the node_modules
#                 of the runtime dependencies (npm ls --omit=dev), the webgpu package
#                 with its linux-x64 Dawn only
#   vulkan/       Debian's Vulkan loader (libvulkan1) and libGLdispatch (libglvnd0, which
#                 NVIDIA's GLX/Vulkan library links), unpacked: used through
#                 LD_LIBRARY_PATH where the machine has no loader of its own
#   gpu-machine.sh   this script, so the folder runs on its own: bash .gpu-machine/gpu-machine.sh run
#
# With the device tool: pack here, then run with carry [".gpu-machine"] and the
# command `bash bench/gpu-machine.sh run --quick` (its $OUT receives the report).
# If python3 there has numpy and scipy, the NumPy peer runs; if it has torch
# with a CUDA device, the PyTorch peer (bench/peers/torch_step.py) runs on the
# same GPU and adds its rows.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Inside a pack (its own copy of this script) or in the repository's bench/.
if [[ -f "$SCRIPT_DIR/app.tar.xz" ]]; then
  PACK=$SCRIPT_DIR
  ROOT=
else
  ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
  PACK=${GPU_MACHINE_DIR:-$ROOT/.gpu-machine}
fi
# Where the machine unpacks Node and the project (tmpfs or disk, not the carried folder).
WORK=${GPU_MACHINE_WORK:-${TMPDIR:-/tmp}/amari-ep-gpu-machine}
NODE_MAJOR_MIN=20

say() { printf 'gpu-machine: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------- pack (here)

# A nodejs.org Linux x64 tarball of Node >= 20, or nothing.
find_node_tarball() {
  if [[ -n "${NODE_TARBALL:-}" ]]; then
    [[ -f "$NODE_TARBALL" ]] || die "NODE_TARBALL=$NODE_TARBALL is not a file"
    printf '%s\n' "$NODE_TARBALL"
    return
  fi
  local f
  for f in "$SCRIPT_DIR"/gpu-machine-node/node-v*-linux-x64.tar.xz "$SCRIPT_DIR"/gpu-machine-node/node-v*-linux-x64.tar.gz; do
    [[ -f "$f" ]] || continue
    local major=${f##*/node-v}
    major=${major%%.*}
    if (( major >= NODE_MAJOR_MIN )); then printf '%s\n' "$f"; return; fi
  done
}

# Downloads the newest Node 20 for Linux x64 into bench/gpu-machine-node/, checking its SHA-256.
download_node() {
  command -v curl >/dev/null || return 1
  local base=https://nodejs.org/dist/latest-v20.x sums name dir=$SCRIPT_DIR/gpu-machine-node
  sums=$(curl -fsS --max-time 20 "$base/SHASUMS256.txt" 2>/dev/null) || { say 'nodejs.org is not reachable'; return 1; }
  name=$(awk '$2 ~ /^node-v20\.[0-9.]+-linux-x64\.tar\.xz$/ { print $2 }' <<<"$sums")
  [[ -n "$name" ]] || return 1
  mkdir -p "$dir"
  say "downloading $name from nodejs.org"
  curl -fsS --max-time 300 -o "$dir/$name.part" "$base/$name" || { rm -f "$dir/$name.part"; return 1; }
  (cd "$dir" && grep " $name\$" <<<"$sums" | sed "s/$name\$/$name.part/" | sha256sum -c --quiet -) || { rm -f "$dir/$name.part"; die "$name: checksum mismatch"; }
  mv "$dir/$name.part" "$dir/$name"
  printf '%s\n' "$dir/$name"
}

# This machine's node as a tarball, when it is a Linux x64 build of Node >= 20 that needs no
# shared library a bare machine may lack (nodejs.org's and NodeSource's builds; not Debian's,
# which links libnode, libuv, OpenSSL and ICU).
local_node_tarball() {
  local node out=$1 version
  node=$(command -v node) || return 1
  [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || return 1
  version=$("$node" -p 'process.versions.node')
  (( ${version%%.*} >= NODE_MAJOR_MIN )) || return 1
  if ldd "$node" | grep -Eq 'lib(node|uv|ssl|crypto|icu[a-z]*|nghttp2|brotli[a-z]*|cares|z)\.so'; then return 1; fi
  say "packing this machine's node $version ($node): no nodejs.org tarball found or reachable"
  local stage
  stage=$(mktemp -d)
  mkdir -p "$stage/node-v$version-linux-x64/bin"
  # Debug sections are no use on the machine: dropped, where strip is installed.
  if command -v strip >/dev/null; then strip --strip-debug "$node" -o "$stage/node-v$version-linux-x64/bin/node"; else cp "$node" "$stage/node-v$version-linux-x64/bin/node"; fi
  XZ_OPT=${XZ_OPT:--6 -T0} tar -C "$stage" -cJf "$out" "node-v$version-linux-x64"
  rm -rf "$stage"
}

pack_node() {
  local tarball
  tarball=$(find_node_tarball)
  [[ -n "$tarball" ]] || tarball=$(download_node) || tarball=
  if [[ -n "$tarball" ]]; then
    say "node: $tarball"
    case $tarball in
      *.tar.xz) cp "$tarball" "$PACK/node.tar.xz" ;;
      # Kept compressed as xz like the rest: one way to unpack it there.
      *.tar.gz) gzip -dc "$tarball" | XZ_OPT=${XZ_OPT:--6 -T0} xz -c >"$PACK/node.tar.xz" ;;
    esac
    return
  fi
  local_node_tarball "$PACK/node.tar.xz" || die "no Node for Linux x64: put node-v20.x-linux-x64.tar.xz from nodejs.org in $SCRIPT_DIR/gpu-machine-node/ (or set NODE_TARBALL)"
}

# The runtime dependencies' folders, relative to the repository (npm's own list, so nothing is guessed).
runtime_packages() {
  (cd "$ROOT" && npm ls --omit=dev --all --parseable 2>/dev/null) | sed "s|^$ROOT/||" | grep '^node_modules/' | sort -u
}

pack_app() {
  local stage=$1 app=$1/app pkg
  say 'building: npm run build (the CLI) and the benchmark with the sources it imports'
  (cd "$ROOT" && npm run build --silent >/dev/null)
  (cd "$ROOT" && npx --no-install tsc -p bench/tsconfig.gpu-machine.json --outDir "$app/build")
  cp "$ROOT"/bench/peers/*.py "$app/build/bench/peers/"
  mkdir -p "$app/dist"
  (cd "$ROOT/dist" && tar --exclude='*.map' --exclude='*.d.ts' -cf - .) | (cd "$app/dist" && tar -xf -)
  # "type": "module": the compiled .js files are ES modules.
  cp "$ROOT/package.json" "$app/"
  say 'copying the runtime dependencies (npm ls --omit=dev)'
  while IFS= read -r pkg; do
    mkdir -p "$app/$pkg"
    # Each package without its nested node_modules: those are listed (and copied) on their own.
    (cd "$ROOT/$pkg" && tar --exclude=./node_modules -cf - .) | (cd "$app/$pkg" && tar -xf -)
  done < <(runtime_packages)
  # Dawn for this one platform (the package carries five: 130 MiB), without its build scripts.
  local webgpu=$app/node_modules/webgpu
  [[ -f "$webgpu/dist/linux-x64/dawn.node" ]] || die 'node_modules/webgpu has no linux-x64 Dawn: npm install first'
  find "$webgpu/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
  rm -rf "$webgpu/build"
  XZ_OPT=${XZ_OPT:--6 -T0} tar -C "$stage" -cJf "$PACK/app.tar.xz" app
}

# Debian's Vulkan loader and libGLdispatch, unpacked under vulkan/ (apt-get download: no root, nothing installed).
pack_vulkan() {
  local debs=$PACK/vulkan/debs
  mkdir -p "$debs"
  if ! (cd "$debs" && apt-get download libvulkan1:amd64 libglvnd0:amd64 >/dev/null 2>&1); then
    # The device's README way, for a host of another architecture or without the amd64 lists.
    local lists
    lists=$(mktemp -d)
    mkdir -p "$lists/partial"
    local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
    if apt-get "${o[@]}" update >/dev/null 2>&1; then
      (cd "$debs" && apt-get "${o[@]}" download libvulkan1 libglvnd0 >/dev/null 2>&1) || true
    fi
    rm -rf "$lists"
  fi
  local deb found=0
  for deb in "$debs"/*.deb; do
    [[ -f "$deb" ]] || continue
    dpkg-deb -x "$deb" "$PACK/vulkan/root"
    found=1
  done
  if (( found )); then
    say "vulkan: $(cd "$debs" && echo *.deb)"
  else
    say 'vulkan: no libvulkan1 package could be downloaded; the machine must have its own loader'
  fi
}

cmd_pack() {
  [[ -n "$ROOT" ]] || die 'pack runs in the repository (bench/gpu-machine.sh), not in a pack'
  [[ -d "$ROOT/node_modules/webgpu" ]] || die "no $ROOT/node_modules: npm install first"
  rm -rf "$PACK"
  mkdir -p "$PACK"
  local stage
  stage=$(mktemp -d)
  # Expanded now: the trap runs after this function's locals are gone.
  # shellcheck disable=SC2064
  trap "rm -rf '$stage'" EXIT
  pack_node
  pack_app "$stage"
  pack_vulkan
  cp "${BASH_SOURCE[0]}" "$PACK/gpu-machine.sh"
  {
    echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit')"
    tar -tJf "$PACK/node.tar.xz" | head -1 | sed 's|/.*||; s|^|node: |'
    echo "webgpu: $(node -p "require('$ROOT/node_modules/webgpu/package.json').version")"
    du -sh "$PACK"/node.tar.xz "$PACK"/app.tar.xz "$PACK"/vulkan
  } >"$PACK/MANIFEST.txt"
  cat "$PACK/MANIFEST.txt" >&2
  say "packed $(du -sh "$PACK" | cut -f1) in $PACK"
}

# ---------------------------------------------------------------- run (there)

# Unpacks Node and the project into $WORK once per pack (the stamp is the archives' checksum).
unpack() {
  [[ -f "$PACK/node.tar.xz" && -f "$PACK/app.tar.xz" ]] || die "no pack in $PACK: run 'bash bench/gpu-machine.sh pack' first"
  local stamp
  stamp=$(cat "$PACK/node.tar.xz" "$PACK/app.tar.xz" | cksum)
  if [[ "$(cat "$WORK/stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$WORK"
    mkdir -p "$WORK/node"
    tar -xJf "$PACK/node.tar.xz" -C "$WORK/node" --strip-components=1
    tar -xJf "$PACK/app.tar.xz" -C "$WORK"
    printf '%s\n' "$stamp" >"$WORK/stamp"
  fi
  NODE=$WORK/node/bin/node
  APP=$WORK/app
  "$NODE" --version >/dev/null || die "the packed node does not run here ($(uname -sm))"
}

# The Vulkan loader and NVIDIA's driver for Dawn: the machine's own where it has them, else the pack's loader.
vulkan_env() {
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
    local lib=$PACK/vulkan/root/usr/lib/x86_64-linux-gnu
    if [[ -f "$lib/libvulkan.so.1" ]]; then
      export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
      say "vulkan loader: the pack's ($lib)"
    else
      say 'vulkan loader: none here or in the pack: Dawn will fall back to OpenGL ES (no GPU)'
    fi
  fi
  # NVIDIA's user-space libraries (a container mounts them here, outside the linker's cache).
  local d
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    if [[ -d "$d" ]]; then export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}${LD_LIBRARY_PATH:+:}$d; fi
  done
  # The loader finds an installed driver by its manifest; one mounted from outside needs naming.
  local icd
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
    [[ -f "$icd" ]] && break
    icd=
  done
  if [[ -z "$icd" ]]; then
    # No manifest, but the driver's Vulkan library itself: a manifest of our own names it.
    local so
    so=$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 -maxdepth 2 -name 'libGLX_nvidia.so.0' 2>/dev/null | head -1 || true)
    if [[ -n "$so" ]]; then
      icd=$WORK/nvidia_icd.json
      printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.3.0"}}\n' "$so" >"$icd"
    fi
  fi
  if [[ -n "$icd" ]]; then
    # VK_DRIVER_FILES is the loader's current name, VK_ICD_FILENAMES its older one (loaders before 1.3.207).
    export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd
    say "vulkan driver: $icd"
  else
    say 'vulkan driver: no NVIDIA manifest or libGLX_nvidia.so.0 found; the loader searches its default places'
  fi
  # Dawn's default backend (Vulkan on Linux) must be tried: src/gpu/node-device.ts.
  unset AMARI_EP_DAWN_BACKEND
}

# What the peers will find: said before the long run, so a missing package is no surprise at the end.
python_report() {
  local py=${PYTHON:-python3}
  if ! command -v "$py" >/dev/null; then say "python: no $py: the peers are skipped"; return; fi
  "$py" - <<'EOF' >&2 || true
import importlib.util as u
have = {m: u.find_spec(m) is not None for m in ("numpy", "scipy", "torch", "cupy")}
line = ", ".join(f"{m} {'yes' if v else 'no'}" for m, v in have.items())
if have["torch"]:
    import torch
    line += f"; torch {torch.__version__}, CUDA {'yes: ' + torch.cuda.get_device_name() if torch.cuda.is_available() else 'no'}"
if have["cupy"] and not have["torch"]:
    line += " (CuPy alone: no CuPy peer is written; the GPU peer is PyTorch's)"
print(f"gpu-machine: python: {line}")
EOF
}

cmd_run() {
  unpack
  vulkan_env
  python_report
  local args=("$@")
  (( ${#args[@]} )) || args=(--quick)
  local out=${OUT:-$PACK/results}
  mkdir -p "$out"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
  fi
  say "node $("$NODE" --version): build/bench/run.js ${args[*]} --out $out"
  local status=0
  touch "$WORK/started"
  # The report's files land in $out; the log beside them (the device tool brings $OUT back).
  (cd "$APP" && "$NODE" build/bench/run.js "${args[@]}" --out "$out") 2>&1 | tee "$out/bench.log" || status=$?
  (( status == 0 )) || die "the benchmark failed (status $status): $out/bench.log"
  local adapter report
  # The report this run wrote (a folder kept between runs holds older ones).
  report=$(find "$out" -maxdepth 1 -name 'bench-*.md' -newer "$WORK/started" | head -1)
  adapter=$(grep -h '^- adapter:' "$report" 2>/dev/null || true)
  case $adapter in
    *[Nn][Vv][Ii][Dd][Ii][Aa]*) say "ran on ${adapter#- adapter: }" ;;
    *) say "WARNING: the report's adapter is not NVIDIA's (${adapter#- adapter: }): Dawn did not reach the GPU through Vulkan" ;;
  esac
}

cmd_exec() {
  (( $# )) || die 'exec FILE [ARGS...]: a file of the packed project, e.g. dist/cli/main.js theory --preset irreversible'
  unpack
  vulkan_env 2>/dev/null
  cd "$APP" && exec "$NODE" "$@"
}

case ${1:-} in
  pack) shift; cmd_pack "$@" ;;
  run) shift; cmd_run "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  *) die "usage: $0 pack | run [--quick|--smoke|--full] [bench args] | exec FILE [ARGS...]" ;;
esac
