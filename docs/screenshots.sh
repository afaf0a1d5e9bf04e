#!/bin/sh
# SPDX-FileCopyrightText: 2026 Restack contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders restack-gui's main views into docs/*.png: starts the seeded sandbox registry and runs
# restack-screenshots against it on a virtual X display (xvfb-run, Debian packages xvfb and xauth):
# the browser, the login dialog, the rebase workspace (preview, confirmation, result, dark palette), an
# error message, "Find Old Base" and the index composer (whose images are built with umoci and pushed
# with skopeo into the sandbox, as the tests do).
#
#   docs/screenshots.sh [BUILD_DIR]      (default: build; run from anywhere)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
for tool in "$build/tests/support/restack-sandbox" "$build/tests/ui/restack-screenshots"; do
    if [ ! -x "$tool" ]; then
        echo "docs/screenshots.sh: $tool is missing: build first (cmake --build $build)" >&2
        exit 1
    fi
done
command -v xvfb-run >/dev/null || { echo "docs/screenshots.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
for tool in umoci skopeo; do
    command -v "$tool" >/dev/null || { echo "docs/screenshots.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
# A 24-bit screen larger than the window; the font is the system's default (DejaVu Sans on Debian).
exec xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$build/tests/support/restack-sandbox" -- \
    "$build/tests/ui/restack-screenshots" --out "$root/docs" "{registry}"
