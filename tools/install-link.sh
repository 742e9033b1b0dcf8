#!/bin/sh
# Installs the optional Ableton Link binding into .link/ (git-ignored), outside the project's dependencies (Link is
# GPL: see docs/control.md). The engine finds it there; its two-peer test then runs:
#   sh tools/install-link.sh && node tools/run-tests.js test/control/link
# .link/ is a tiny project of its own, so that npm builds the binding (install scripts run only for packages a
# project's allowScripts names). The package's build file assumes macOS and C++14; on Linux these flags make it build.
set -e
cd "$(dirname "$0")/.."
mkdir -p .link
cat > .link/package.json <<'JSON'
{
  "name": "latentvj-link",
  "private": true,
  "description": "The optional Ableton Link binding for latentvj (GPL), installed by tools/install-link.sh",
  "dependencies": { "@ktamas77/abletonlink": "^1.2.3" },
  "allowScripts": { "@ktamas77/abletonlink": true }
}
JSON
if [ "$(uname)" = "Linux" ]; then
  export CXXFLAGS="${CXXFLAGS:-} -ULINK_PLATFORM_MACOSX -std=c++17"
fi
npm install --prefix .link --no-package-lock --no-audit --no-fund --foreground-scripts
