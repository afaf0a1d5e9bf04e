#!/bin/bash
# SPDX-FileCopyrightText: 2026 Restack contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks restack's generated man pages and shell completions (installer/restack-docgen.cpp):
#
#   check-docs.sh DOCS_DIR RESTACK
#
# DOCS_DIR holds restack.1, restack-gui.1, restack.bash and _restack (or, from a package, their installed
# forms: see check-deb.sh, which calls this with the unpacked files). RESTACK is the executable whose help
# the files must agree with. The bash completion is loaded into a clean bash and asked for completions
# as readline would; the zsh one (when zsh is installed) is syntax-checked and registered by compinit;
# the man pages are rendered by groff with every warning on, and must not warn.
set -euo pipefail
docs=$1
restack=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

man_page() { # the man page NAME from DOCS_DIR, plain or gzipped
    if [ -f "$docs/$1" ]; then cat "$docs/$1"; else gzip -dc "$docs/$1.gz"; fi
}

# --- man pages: groff renders them without a warning, and they mention every command and option ------------
for page in restack.1 restack-gui.1; do
    if ! man_page "$page" >/dev/null 2>&1; then
        fail "$page is missing in $docs"
        continue
    fi
    warnings=$(man_page "$page" | groff -man -Tutf8 -ww -z 2>&1) || true
    if [ -n "$warnings" ]; then fail "groff warns about $page: $warnings"; else pass "$page renders without warnings"; fi
done
rendered=$(man_page restack.1 | groff -man -Tascii -P-c -P-b -P-u 2>/dev/null)
commands=$("$restack" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
[ -n "$commands" ] || fail "no commands in restack --help"
for command in $commands; do
    grep -q "restack $command \[options\]" <<<"$rendered" || fail "restack.1 has no section for $command"
    for option in $("$restack" "$command" --help | grep -oE '^  (-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+$'); do
        grep -q -- "$option" <<<"$rendered" || fail "restack.1 does not mention $option of $command"
    done
done
grep -q "^RESTACK(1)" <<<"$rendered" && pass "restack.1 documents every command and option" || fail "restack.1 has no title"

# --- bash: loads, registers, and completes commands, options, files and argument words ----------------------
bash_completion=$docs/restack.bash
[ -f "$bash_completion" ] || bash_completion=$docs/restack
results=$(env -i PATH=/usr/bin:/bin bash --norc --noprofile -c '
    source "$1" || exit 1
    complete -p restack || exit 1
    t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _restack; echo "${COMPREPLY[*]}"; }
    t restack reb
    t restack rebase --ba
    t restack rebase --from-file /etc/hostnam
    t restack manifest ""
    t restack help lo
    t restack logout --
' bash "$bash_completion" 2>&1) || true
expected=$(printf '%s\n' "complete -F _restack restack" "rebase" "--base" "/etc/hostname" "create push" "login logout" \
    "--help --quiet")
if [ "$results" = "$expected" ]; then pass "bash completion"; else fail "bash completion: got
$results
expected
$expected"; fi

# --- zsh: valid syntax, and compinit binds it to restack --------------------------------------------------
zsh_completion=$docs/_restack
if command -v zsh >/dev/null; then
    if ! zsh -n "$zsh_completion"; then
        fail "zsh completion has syntax errors"
    else
        scratch=$(mktemp -d)
        trap 'rm -rf "$scratch"' EXIT
        cp "$zsh_completion" "$scratch/_restack"
        bound=$(HOME=$scratch zsh -f -c "fpath=($scratch \$fpath); autoload -Uz compinit; compinit -u -d $scratch/dump;
                    autoload -Uz +X _restack && print -r -- \$_comps[restack]" 2>&1) || true
        if [ "$bound" = "_restack" ]; then pass "zsh completion"; else fail "zsh completion is not bound to restack: $bound"; fi
    fi
else
    echo "skip: zsh is not installed (package zsh)"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all documentation checks passed"
