#!/bin/sh
# SPDX-FileCopyrightText: 2026 Restack contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-with-keyring.sh COMMAND [ARGS...]: runs COMMAND against a real, private Secret Service: a new
# D-Bus session bus (dbus-run-session) with gnome-keyring-daemon's secrets component, its login
# keyring created and unlocked with a throwaway password, and HOME, XDG_CONFIG_HOME,
# XDG_DATA_HOME and XDG_RUNTIME_DIR in a fresh temporary directory, removed afterwards. The
# command's exit status is returned. Needs the Debian packages dbus and gnome-keyring.
set -eu
base=$(mktemp -d "${TMPDIR:-/tmp}/restack-keyring-XXXXXX")
trap 'rm -rf "$base"' EXIT INT TERM
mkdir -p "$base/home" "$base/runtime"
chmod 700 "$base/runtime"
export HOME="$base/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_RUNTIME_DIR="$base/runtime"
export RESTACK_TEST_KEYRING_HOME="$HOME"
unset DOCKER_CONFIG REGISTRY_AUTH_FILE
status=0
dbus-run-session -- sh -c '
    printf restack-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' restack-keyring "$@" || status=$?
exit $status
