#!/usr/bin/env bash
# Proves a packed kit where there is no GPU: runs its run.sh in an empty temporary directory with an empty
# environment and a PATH that holds every system tool except Node.js, then checks that every CPU case and the
# render printed a record with figures. Extra arguments go to run.sh (default: --mode quick).
#
#   bash tools/device/prove-cpu.sh [KIT_DIR] [run.sh options…]
set -eu
KIT="$(cd "${1:-device-kit}" && pwd)"
shift || true
[ $# -gt 0 ] || set -- --mode quick

BIN="$(mktemp -d /tmp/kit-nonode-bin.XXXXXX)"
RUN="$(mktemp -d /tmp/kit-empty.XXXXXX)"
# Every executable of the system folders, except Node.js and its package managers.
for d in /usr/bin /bin /usr/sbin /sbin; do
  for f in "$d"/*; do
    n="$(basename "$f")"
    case "$n" in node | nodejs | npm | npx | corepack) continue ;; esac
    [ -e "$BIN/$n" ] || ln -s "$f" "$BIN/$n"
  done
done
if env -i PATH="$BIN" bash -c 'command -v node' >/dev/null; then
  echo "prove-cpu: node is still on the constructed PATH" >&2
  exit 1
fi
echo "prove-cpu: node absent from PATH=$BIN; running $KIT/run.sh $* in empty $RUN" >&2
[ -z "$(ls -A "$RUN")" ]
cd "$RUN"
set +e
# KIT_VULKAN=carried passes through: it proves the carried Vulkan loader where the machine has its own.
env -i PATH="$BIN" ${KIT_VULKAN:+KIT_VULKAN=$KIT_VULKAN} bash "$KIT/run.sh" "$@"
rc=$?
set -e
python3 - "$RUN/kit-run/results.jsonl" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cases = [l for l in lines if l.get("kind") == "case"]
cpu = [c for c in cases if c["ep"] == "cpu"]
renders = [l for l in lines if l.get("kind") == "render"]
bad = [c["id"] + ": " + c.get("error", "") for c in cpu + renders if not c["ok"]]
print("prove-cpu: %d cases (%d CPU, %d ok), %d renders (%d ok)" % (
    len(cases), len(cpu), sum(c["ok"] for c in cpu), len(renders), sum(r["ok"] for r in renders)), file=sys.stderr)
if not cpu or not renders or bad:
    print("prove-cpu: FAILED\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
echo "prove-cpu: ok (run.sh exit $rc); results in $RUN/kit-run/results.jsonl" >&2
rm -rf "$BIN" "$RUN/kit-run/node" "$RUN/kit-run/app" "$RUN/kit-run/work"
exit "$rc"
