#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Restack contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets of tests/fuzz with clang (a separate CMake project: see CMakeLists.txt beside
# this script), replays every reproducer in regressions/<target>/, then runs each fuzzer for a bounded time over
# its seed corpus and dictionary. Fails on any crash, leak, sanitizer report, broken invariant or hang.
#
#   run-fuzzers.sh [--build-dir DIR] [--seconds N] [--jobs N] [--cmake CMAKE] [--generator GEN] [TARGET...]
#
#   --build-dir   where the clang build and the fuzzing work files go (default: build-fuzz at the repository root)
#   --seconds     fuzzing time per target (default 20, or $RESTACK_FUZZ_SECONDS); 0 only builds and replays
#   --seed        libFuzzer's random seed (default 1, or $RESTACK_FUZZ_SEED): a fixed seed makes a CI run
#                 repeatable (the same inputs in the same order, as far as the time allows); 0 picks a new
#                 seed each run, for longer hunts by hand
#   --jobs        fuzzers run at the same time (default: the number of cores, or $RESTACK_FUZZ_JOBS)
#   TARGET        reference, wwwauthenticate, linkheader, manifest, imageconfig, indexspec (default: all)
#
# The compiler is $RESTACK_FUZZ_CXX (default clang++). Exit status: 0 all good, 1 a failure, 77 skipped
# because that compiler is missing or cannot link libFuzzer with ASan and UBSan (CTest's SKIP_RETURN_CODE),
# unless RESTACK_FUZZ_REQUIRED=1 (as in CI), which turns that skip into a failure.
#
# Reproducers: a crash leaves its input in <build-dir>/work/artifacts/<target>/ (the log names it). Copy it to
# regressions/<target>/ with a name saying what it is. If core is not fixed yet, list it in
# regressions/known-failures (one "<target>/<file>" a line, then a comment): its replay is then reported as
# XFAIL rather than failing the run, and as XPASS once the fix is in (then remove the line).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=$(cd "$here/../.." && pwd)/build-fuzz
seconds=${RESTACK_FUZZ_SECONDS:-20}
seed=${RESTACK_FUZZ_SEED:-1}
jobs=${RESTACK_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
cmake=cmake
generator=
cxx=${RESTACK_FUZZ_CXX:-clang++}
all_targets=(reference wwwauthenticate linkheader manifest imageconfig indexspec)
targets=()

while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --cmake) cmake=$2; shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    -h | --help) awk 'NR >= 5 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 5 { exit }' "$0"; exit 0 ;;
    -*) echo "run-fuzzers: unknown option $1" >&2; exit 1 ;;
    *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [ -f "$here/fuzz_$t.cpp" ] || { echo "run-fuzzers: unknown target $t (known: ${all_targets[*]})" >&2; exit 1; }
done
if [ -z "$generator" ]; then
    if command -v ninja >/dev/null 2>&1; then generator=Ninja; else generator="Unix Makefiles"; fi
fi

# Longest input per target: a little over what the format needs, so that time goes into structure.
max_len() {
    case "$1" in
    reference) echo 1024 ;;
    wwwauthenticate | linkheader | indexspec) echo 4096 ;;
    *) echo 16384 ;;
    esac
}

now() { date +%s; }
elapsed() { echo "$(($(now) - $1)) s"; }
skip() {
    # CI sets RESTACK_FUZZ_REQUIRED=1: there a missing clang is a broken setup, not a reason to skip.
    if [ "${RESTACK_FUZZ_REQUIRED:-0}" = 1 ]; then
        echo "run-fuzzers: FAIL (RESTACK_FUZZ_REQUIRED=1): $*"
        exit 1
    fi
    echo "run-fuzzers: SKIPPED: $*"
    exit 77
}

# The runtime options of every fuzzer run and replay. Leaks in Qt's and glib's own code are suppressed with the
# same file as the sanitizer test suite (tests/sanitizers/lsan.supp: third-party frames only).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/../sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"

# --- 1. a compiler that links libFuzzer with ASan and UBSan
command -v "$cxx" >/dev/null 2>&1 \
    || skip "no $cxx; the fuzzers need clang (Debian 12: apt-get install clang libclang-rt-14-dev)"
mkdir -p "$build_dir"
probe_dir=$(mktemp -d "$build_dir/probe.XXXXXX")
trap 'rm -rf "$probe_dir"' EXIT
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }' >"$probe_dir/probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe_dir/probe.cpp" -o "$probe_dir/probe" >"$probe_dir/log" 2>&1; then
    skip "$cxx cannot link -fsanitize=fuzzer,address,undefined (Debian 12: apt-get install libclang-rt-14-dev): $(head -n 3 "$probe_dir/log")"
fi
# clang's sanitizers print function names and lines only through llvm-symbolizer (Debian: the llvm-14 package).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && ! command -v llvm-symbolizer >/dev/null 2>&1; then
    symbolizer="$(dirname "$(readlink -f "$(command -v "$cxx")")")/llvm-symbolizer"
    if [ -x "$symbolizer" ]; then
        export ASAN_SYMBOLIZER_PATH="$symbolizer"
    else
        echo "run-fuzzers: note: no llvm-symbolizer, stacks will show addresses only (Debian 12: apt-get install llvm-14)"
    fi
fi

# --- 2. the clang build of restack_core and the fuzz targets
start=$(now)
log="$build_dir/build.log"
if ! { "$cmake" -S "$here" -B "$build_dir" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug \
    && "$cmake" --build "$build_dir" --target "${targets[@]/#/fuzz_}"; } >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "run-fuzzers: FAILED: the clang build of the fuzz targets failed (whole log: $log)"
    exit 1
fi
echo "run-fuzzers: built ${targets[*]} with $cxx in $(elapsed "$start")"

failures=()

# --- 3. replay the reproducers of past findings
known_failures="$here/regressions/known-failures"
is_known_failure() {
    [ -f "$known_failures" ] && grep -q "^$1\([[:space:]]\|\$\)" "$known_failures"
}
start=$(now)
replayed=0
for t in "${targets[@]}"; do
    [ -d "$here/regressions/$t" ] || continue
    for input in "$here/regressions/$t"/*; do
        [ -f "$input" ] || continue
        name="$t/$(basename "$input")"
        replayed=$((replayed + 1))
        if "$build_dir/fuzz_$t" -runs=1 "$input" >"$build_dir/replay.log" 2>&1; then
            if is_known_failure "$name"; then
                echo "run-fuzzers: XPASS $name now passes: remove it from regressions/known-failures"
            fi
        elif is_known_failure "$name"; then
            echo "run-fuzzers: XFAIL $name (known, listed in regressions/known-failures)"
        else
            grep -E '^(==|SUMMARY|    #|.*runtime error|==restack-fuzz==)' "$build_dir/replay.log" | head -n 40 || true
            echo "run-fuzzers: FAIL regression $name (replay: $build_dir/fuzz_$t $input)"
            failures+=("regression $name")
        fi
    done
done
echo "run-fuzzers: replayed $replayed regression inputs in $(elapsed "$start")"

# --- 4. fuzz each target for a bounded time, $jobs at a time
if [ "$seconds" -gt 0 ]; then
    start=$(now)
    work="$build_dir/work"
    pids=()
    names=()
    run_one() {
        local t=$1
        mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
        # New inputs go to the first (work) directory; the seed corpus in the source tree is only read.
        "$build_dir/fuzz_$t" \
            -max_total_time="$seconds" -seed="$seed" -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len "$t")" \
            -dict="$here/$t.dict" -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 \
            -error_exitcode=1 -timeout_exitcode=1 \
            "$work/corpus/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1
    }
    finish_one() {
        local pid=$1 t=$2
        if wait "$pid"; then
            local execs cov
            execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)
            cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$work/$t.log" | tail -n 1)
            echo "run-fuzzers: ok   fuzz_$t: ${execs:-?} inputs, $cov"
        else
            echo "---- fuzz_$t (whole log: $work/$t.log)"
            grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse|INITED)|^INFO:|^MS:|^base unit:|^0x' "$work/$t.log" | tail -n 60
            echo "run-fuzzers: FAIL fuzz_$t; reproducer: $(ls "$work/artifacts/$t/"* 2>/dev/null | head -n 1)"
            failures+=("fuzz_$t")
        fi
    }
    for t in "${targets[@]}"; do
        if [ ${#pids[@]} -ge "$jobs" ]; then
            finish_one "${pids[0]}" "${names[0]}"
            pids=("${pids[@]:1}")
            names=("${names[@]:1}")
        fi
        run_one "$t" &
        pids+=($!)
        names+=("$t")
    done
    for i in "${!pids[@]}"; do
        finish_one "${pids[$i]}" "${names[$i]}"
    done
    echo "run-fuzzers: fuzzed ${#targets[@]} targets for ${seconds} s each (seed $seed) in $(elapsed "$start")"
fi

if [ ${#failures[@]} -gt 0 ]; then
    echo "run-fuzzers: FAILED: ${failures[*]}"
    exit 1
fi
echo "run-fuzzers: all passed"
