#!/usr/bin/env bash
# latentvj device kit: unpacks beside the current directory's work folder and runs the generator benchmark on a
# bare x86-64 Linux machine (no Node.js, no network). Made by tools/device/pack.js; see tools/device/README.md.
#
#   bash run.sh [--mode quick|full] [--only SUBSTR] [--list] [--no-render]
#
# Writes ./kit-run/results.jsonl (one JSON line per model, case and render) and ./kit-run/table.txt, and copies
# both to $OUT when that folder exists (the device tool brings $OUT back).
set -u
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${KIT_RUN_DIR:-$PWD/kit-run}"
say() { echo "run.sh: $*" >&2; }

[ "$(uname -m)" = x86_64 ] || { say "this kit is for x86-64 Linux; this machine is $(uname -m)"; exit 2; }
for f in node.tar.xz ort.tar.xz app.tar.xz; do
  [ -f "$KIT/$f" ] || { say "$KIT/$f is missing: make the kit with node tools/device/pack.js"; exit 2; }
done
mkdir -p "$RUN/node" "$RUN/app" "$RUN/work"

# xz where it exists; otherwise Python's lzma (python3 is on the GPU machines' image).
unpack() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" | tar -xf - -C "$2"
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"
  fi
}
t0=$(date +%s)
unpack "$KIT/node.tar.xz" "$RUN/node" || { say "cannot unpack node.tar.xz"; exit 2; }
unpack "$KIT/app.tar.xz" "$RUN" || { say "cannot unpack app.tar.xz"; exit 2; }
unpack "$KIT/ort.tar.xz" "$RUN/app" || { say "cannot unpack ort.tar.xz"; exit 2; }
NODE="$RUN/node/bin/node"
"$NODE" --version >/dev/null || { say "the carried node does not start"; exit 2; }
say "unpacked in $(( $(date +%s) - t0 )) s into $RUN"

# The Vulkan loader: the machine's own when it has one; else the carried Debian packages, unpacked into / as
# the device README does it when we are root, or into the run folder (on the library path) when we are not.
# KIT_VULKAN=carried takes the carried loader from the run folder even where the machine has one.
LDCONFIG="$(command -v ldconfig || echo /sbin/ldconfig)"
if [ "${KIT_VULKAN:-}" != carried ] && "$LDCONFIG" -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  say "Vulkan loader: the machine's own"
elif [ "${KIT_VULKAN:-}" != carried ] && command -v dpkg >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  for f in "$KIT"/debs/*.deb; do dpkg -x "$f" /; done
  "$LDCONFIG"
  say "Vulkan loader: carried packages unpacked into /"
elif command -v dpkg >/dev/null 2>&1; then
  for f in "$KIT"/debs/*.deb; do dpkg -x "$f" "$RUN/sys"; done
  export LD_LIBRARY_PATH="$RUN/sys/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "Vulkan loader: carried packages on LD_LIBRARY_PATH"
else
  say "Vulkan loader: none here and no dpkg to unpack the carried one; WebGPU cases will report no adapter"
fi
# NVIDIA's driver ships its Vulkan driver manifest outside the loader's search path on the GPU machines.
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] \
  && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  say "VK_DRIVER_FILES=$VK_DRIVER_FILES"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

"$NODE" "$RUN/app/dist/tools/device/bench.js" --work "$RUN/work" "$@" 2>"$RUN/table.txt" | tee "$RUN/results.jsonl"
rc=${PIPESTATUS[0]}
cat "$RUN/table.txt" >&2
if [ -n "${OUT:-}" ] && [ -d "$OUT" ]; then cp "$RUN/results.jsonl" "$RUN/table.txt" "$OUT/"; fi
say "done in $(( $(date +%s) - t0 )) s (exit $rc); results in $RUN/results.jsonl"
exit "$rc"
