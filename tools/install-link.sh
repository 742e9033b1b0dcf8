#!/bin/sh
# Installs the optional Ableton Link binding into .link/ (git-ignored), outside the project's dependencies (Link is
# GPL: see docs/control.md). Run the Link tests with it on the module path:
#   sh tools/install-link.sh && node tools/run-tests.js test/control/link
# The package's build file assumes macOS and C++14; on Linux these flags make it build.
set -e
cd "$(dirname "$0")/.."
mkdir -p .link
if [ "$(uname)" = "Linux" ]; then
  export CXXFLAGS="${CXXFLAGS:-} -ULINK_PLATFORM_MACOSX -std=c++17"
fi
npm install --prefix .link --no-save --no-package-lock --foreground-scripts @ktamas77/abletonlink@^1.2.3
