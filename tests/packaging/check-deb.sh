#!/bin/bash
# SPDX-FileCopyrightText: 2026 Restack contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds restack's Debian package from a build tree and checks it (the packaging_deb test):
#
#   check-deb.sh BUILD_DIR VERSION SOURCE_DIR
#
# 1. `cpack -G DEB` (installer/CMakeLists.txt) into a scratch directory;
# 2. the package's exact file list, and its control fields (Package, Version, Architecture, a Depends that
#    names Qt and qtkeychain, each package it names known to apt);
# 3. `dpkg-deb -x` into a scratch root: the packaged `restack --version` and `restack-gui --version` run
#    with LD_LIBRARY_PATH unset and no RPATH/RUNPATH (only the system's libraries), ldd finds every
#    library, libcrypto and qtkeychain are not linked (they are loaded on first use); the packaged
#    restack loads the packaged keychain plugin;
# 4. desktop-file-validate and `appstreamcli validate --no-net` on the installed desktop file and
#    metainfo, whose icon is installed and whose newest release is VERSION;
# 5. the installed man pages and completions (check-docs.sh).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
source_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
app_id=org.restack.Restack
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# dpkg-shlibdeps and file: CPack computes Depends with them (without them it falls back to a fixed list,
# which this test would not be checking).
for tool in cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli groff; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (packages: cmake dpkg dpkg-dev file desktop-file-utils appstream groff-base)"; exit 1; }
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/restack-deb-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# --- 1. build the package ---------------------------------------------------------------------------------
start=$SECONDS
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log"
    echo "FAIL: cpack -G DEB"
    exit 1
fi
deb=$(ls "$scratch"/out/*.deb)
echo "ok: cpack built $(basename "$deb") ($(stat -c %s "$deb") bytes) in $((SECONDS - start)) s"
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "restack_${version}_${arch}.deb" ] || fail "package file name $(basename "$deb")"

# --- 2. file list and control fields ----------------------------------------------------------------------
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sort)
expected=$(sort <<EOT
./usr/bin/restack
./usr/bin/restack-gui
./usr/lib/restack/librestack_keychain.so
./usr/share/applications/$app_id.desktop
./usr/share/bash-completion/completions/restack
./usr/share/doc/restack/copyright
./usr/share/icons/hicolor/scalable/apps/$app_id.svg
./usr/share/man/man1/restack-gui.1.gz
./usr/share/man/man1/restack.1.gz
./usr/share/metainfo/$app_id.metainfo.xml
./usr/share/zsh/vendor-completions/_restack
EOT
)
if [ "$files" = "$expected" ]; then pass "file list"; else fail "file list differs (- expected, + packaged):
$(diff <(echo "$expected") <(echo "$files") | grep '^[<>]' | sed 's/^</-/; s/^>/+/')"; fi
dpkg-deb -c "$deb" | awk '{ print $1, $6 }' | grep -vE '^(drwxr-xr-x|-rw-r--r--|-rwxr-xr-x) ' \
    && fail "unexpected file modes (above)" || pass "file modes"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = restack ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Homepage)" ] || fail "no Homepage"
depends=$(field Depends)
echo "   Depends: $depends"
for needed in libqt6core6 libqt6network6 libqt6gui6 libqt6widgets6 libqt6keychain1 libyaml-cpp0.7 libssl3 \
    qt6-qpa-plugins libqt6svg6; do
    grep -qE "(^|, )$needed( |,|$)" <<<"$depends" || fail "Depends lacks $needed"
done
unknown=""
for package in $(sed 's/([^)]*)//g; s/[,|]/ /g' <<<"$depends"); do
    apt-cache show --no-all-versions "$package" >/dev/null 2>&1 || dpkg -s "$package" >/dev/null 2>&1 \
        || unknown="$unknown $package"
done
[ -z "$unknown" ] && pass "control fields; Depends names known packages" || fail "Depends names unknown packages:$unknown"

# --- 3. the packaged executables, against the system's libraries only ------------------------------------
root=$scratch/root
dpkg-deb -x "$deb" "$root"
for exe in restack restack-gui; do
    # No library search path at all: every library is the system's (a RUNPATH of $ORIGIN/../lib, as
    # qt_standard_project_setup sets, would make the loader search /usr/bin and /usr/lib first).
    runpath=$(readelf -d "$root/usr/bin/$exe" | grep -E 'RPATH|RUNPATH' || true)
    [ -z "$runpath" ] || fail "$exe has a library search path: $runpath"
    # libcrypto (DigestHasher) and qtkeychain (the restack_keychain plugin) are loaded on first use,
    # never linked: a start does not map them.
    readelf -d "$root/usr/bin/$exe" | grep -E 'NEEDED.*(libcrypto|keychain)' && fail "$exe links the above"
    missing=$(env -u LD_LIBRARY_PATH ldd "$root/usr/bin/$exe" | grep 'not found' || true)
    [ -z "$missing" ] || fail "$exe: libraries not found: $missing"
done
plugin=$root/usr/lib/restack/librestack_keychain.so
missing=$(env -u LD_LIBRARY_PATH ldd "$plugin" | grep 'not found' || true)
[ -z "$missing" ] || fail "the keychain plugin: libraries not found: $missing"
# The packaged restack loads the packaged plugin: with a registry in its credentials index and no D-Bus
# session, `logout` gets as far as qtkeychain, which reports that no keychain runs.
mkdir -p "$scratch/config/restack"
printf '[registries]\nregistry.example=alice\n' >"$scratch/config/restack/credentials.conf"
got=$(cd / && env -u LD_LIBRARY_PATH XDG_CONFIG_HOME="$scratch/config" DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
    "$root/usr/bin/restack" logout registry.example 2>&1) || true
if grep -q 'no keychain is available' <<<"$got" && ! grep -q 'keychain plugin' <<<"$got"; then
    pass "packaged restack loads the packaged keychain plugin"
else fail "packaged restack and its keychain plugin: $got"; fi
got=$(cd / && env -u LD_LIBRARY_PATH "$root/usr/bin/restack" --version 2>&1) || true
[ "$got" = "restack $version" ] && pass "packaged restack --version: $got" || fail "packaged restack --version: $got"
got=$(cd / && env -u LD_LIBRARY_PATH QT_QPA_PLATFORM=offscreen "$root/usr/bin/restack-gui" --version 2>"$scratch/gui.err") \
    || true
[ "$got" = "restack-gui $version" ] && pass "packaged restack-gui --version: $got" \
    || fail "packaged restack-gui --version: $got $(cat "$scratch/gui.err")"

# --- 4. desktop integration ------------------------------------------------------------------------------
desktop=$root/usr/share/applications/$app_id.desktop
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then pass "desktop-file-validate"; else
    fail "desktop-file-validate: $out"; fi
if out=$(appstreamcli validate --no-net "$metainfo" 2>&1); then pass "appstreamcli validate --no-net"; else
    fail "appstreamcli validate: $out"; fi
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "the desktop file's icon $icon is not installed"
exec=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
[ -x "$root/usr/bin/$exec" ] || fail "the desktop file's Exec $exec is not installed"
release=$(grep -o '<release version="[^"]*"' "$metainfo" | head -1 | cut -d'"' -f2)
[ "$release" = "$version" ] && pass "icon and Exec installed; newest release $release" \
    || fail "the metainfo's newest release is $release, the project's version $version (add a <release>)"
cmp -s "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg" "$source_dir/resources/restack.svg" \
    || fail "the installed icon is not resources/restack.svg"

# --- 5. man pages and completions as installed -----------------------------------------------------------
docs=$scratch/docs
mkdir "$docs"
cp "$root/usr/share/man/man1/restack.1.gz" "$root/usr/share/man/man1/restack-gui.1.gz" "$docs/"
cp "$root/usr/share/bash-completion/completions/restack" "$docs/restack.bash"
cp "$root/usr/share/zsh/vendor-completions/_restack" "$docs/_restack"
if out=$(bash "$here/check-docs.sh" "$docs" "$root/usr/bin/restack" 2>&1); then pass "installed man pages and completions"; else
    fail "installed man pages and completions:
$out"; fi
if command -v man >/dev/null; then
    MANPATH=$root/usr/share/man man -w restack >/dev/null 2>&1 && pass "man finds restack(1) in the package's MANPATH" \
        || fail "man -w restack with MANPATH=$root/usr/share/man"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all package checks passed"
