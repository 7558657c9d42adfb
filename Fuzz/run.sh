#!/usr/bin/env bash
# Coverage-guided fuzzing of the HTTP/1.1 request parser with libFuzzer and AddressSanitizer.
#
#   bash Fuzz/run.sh                      fuzz for FUZZ_SECONDS (default 600) seconds; `make fuzz`
#   bash Fuzz/run.sh -- -jobs=2 …         the same, with extra libFuzzer options after `--`
#   bash Fuzz/run.sh --reproduce FILE…    run the target once on each FILE (a crash-… artifact)
#   bash Fuzz/run.sh --build-only         build and check the fuzzer binary, nothing else
#
# Environment: FUZZ_SECONDS (run length), FUZZ_CONFIG (release, the default, or debug: about three
# times slower, better stack traces), FUZZ_SPEC_CHECKS=0 (only crashes and segmentation mismatches,
# not the RFC checks of accepted requests). Everything it writes stays in .build-fuzz/ at the
# repository root (ignored by git): the build, the working corpus (corpus-work/, seeded from
# Fuzz/corpus/, which is never modified), artifacts/ (crash-…, timeout-…, oom-… reproducers) and
# the log of the last run (fuzz.log). Exits non-zero when libFuzzer reports a finding.
# See docs/FUZZING.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SCRATCH=".build-fuzz"
CONFIG="${FUZZ_CONFIG:-release}"
SECONDS_TO_RUN="${FUZZ_SECONDS:-600}"
WORK_CORPUS="$SCRATCH/corpus-work"
ARTIFACTS="$SCRATCH/artifacts"
LOG="$SCRATCH/fuzz.log"
# System packages the fuzz build needs besides the Swift toolchain: zlib for the HTTPServer module,
# binutils (readelf, nm) for the instrumentation check below.
APT_PACKAGES=(zlib1g-dev binutils)

mode="fuzz"
reproduce_files=()
extra_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --reproduce)
            mode="reproduce"
            shift
            [ $# -gt 0 ] || { echo "usage: $0 --reproduce FILE..." >&2; exit 2; }
            while [ $# -gt 0 ] && [ "$1" != "--" ]; do reproduce_files+=("$1"); shift; done
            ;;
        --build-only) mode="build"; shift ;;
        --) shift; extra_args=("$@"); break ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see $0 --help)" >&2; exit 2 ;;
    esac
done

case "$CONFIG" in release|debug) ;; *) echo "FUZZ_CONFIG must be release or debug" >&2; exit 2 ;; esac
case "$SECONDS_TO_RUN" in ''|*[!0-9]*) echo "FUZZ_SECONDS must be a whole number of seconds" >&2; exit 2 ;; esac

# Installs missing Debian packages, as root or through sudo (like `make deps`).
install_missing_packages() {
    local missing=() package
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

command -v swift >/dev/null || { echo "swift is not on PATH (the Swift toolchain is a prerequisite)" >&2; exit 1; }
if command -v dpkg-query >/dev/null; then install_missing_packages; fi

# Build. Two traps, found the hard way with Swift 6.3.1 on Linux:
# - swiftc honours only the LAST `-sanitize=` option, and SwiftPM's `--sanitize=fuzzer
#   --sanitize=address` emits two options in an order that changes from run to run, so a build
#   sometimes has no coverage counters (libFuzzer then reports "no interesting inputs") and
#   sometimes no ASan. The combined `-Xswiftc -sanitize=fuzzer,address` comes last and wins.
# - Without SwiftPM's own `--sanitize=fuzzer`, SwiftPM links executables with
#   `--defsym main=<Module>_main`, which does not exist under `-parse-as-library`: the link fails.
#   With it, SwiftPM leaves `main` to libFuzzer.
# The fuzz entry point is `LLVMFuzzerTestOneInput` (`@_cdecl`), so the module is compiled with
# `-parse-as-library` and has no top-level code.
build_flags=(
    --package-path Fuzz
    --scratch-path "$SCRATCH"
    -c "$CONFIG"
    --sanitize=fuzzer
    -Xswiftc -sanitize=fuzzer,address
    -Xswiftc -parse-as-library
)
echo "==> swift build ${build_flags[*]}"
mkdir -p "$SCRATCH"
build_log="$SCRATCH/build.log"
if ! swift build "${build_flags[@]}" >"$build_log" 2>&1; then
    # ld.gold warns about every ASan symbol it cannot export; the real errors are elsewhere.
    grep -v "Cannot export local symbol" "$build_log" | tail -40 >&2
    echo "swift build failed; full log: $build_log" >&2
    exit 1
fi
grep -E "^Build complete" "$build_log" || true
BIN="$(swift build "${build_flags[@]}" --show-bin-path)/FuzzRequestParser"
[ -x "$BIN" ] || { echo "fuzzer binary $BIN not found" >&2; exit 1; }

# Refuse an uninstrumented binary instead of fuzzing blind.
# (Output captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail.)
sections="$(readelf -S "$BIN")"
symbols="$(nm "$BIN")"
if ! grep -q "__sancov_cntrs" <<<"$sections"; then
    echo "$BIN has no coverage counters (__sancov_cntrs): -sanitize=fuzzer was not applied" >&2; exit 1
fi
if ! grep -q " T __asan_init$" <<<"$symbols"; then
    echo "$BIN is not built with AddressSanitizer (-sanitize=address was not applied)" >&2; exit 1
fi
echo "==> $BIN (coverage counters and ASan present)"

# Let libFuzzer and ASan report crashes: the Swift runtime's own backtracer would race ASan.
export SWIFT_BACKTRACE="enable=no"
# malloc_context_size=10 (default 30) makes every allocation cheaper, about 1.5 times the
# executions per second; reports still show ten frames of the allocating stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=10:detect_leaks=1:symbolize=1}"

if [ "$mode" = "build" ]; then exit 0; fi

if [ "$mode" = "reproduce" ]; then
    status=0
    for file in "${reproduce_files[@]}"; do
        [ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
        echo "==> reproducing $file ($(wc -c <"$file") bytes)"
        if "$BIN" "$file"; then
            echo "==> $file: no finding"
        else
            echo "==> $file: the target fails on this input (see above)"
            status=1
        fi
    done
    exit $status
fi

mkdir -p "$WORK_CORPUS" "$ARTIFACTS"
# Seeds are copied in each time; inputs found by earlier runs stay in the working corpus.
cp Fuzz/corpus/* "$WORK_CORPUS"/
marker="$SCRATCH/.run-started"
touch "$marker"

fuzzer_args=(
    "$WORK_CORPUS"
    -max_total_time="$SECONDS_TO_RUN"
    -max_len=16384
    -dict=Fuzz/http.dict
    -rss_limit_mb=2048
    -timeout=25
    -artifact_prefix="$ARTIFACTS/"
    -print_final_stats=1
)
echo "==> $BIN ${fuzzer_args[*]} ${extra_args[*]:-}"
set +e
"$BIN" "${fuzzer_args[@]}" "${extra_args[@]}" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e

mapfile -t findings < <(find "$ARTIFACTS" -type f -newer "$marker" | sort)
if [ "$status" -ne 0 ] || [ ${#findings[@]} -gt 0 ]; then
    echo
    echo "==> libFuzzer reported a finding (exit status $status); log: $LOG"
    for file in "${findings[@]}"; do
        echo "    reproducer: $file ($(wc -c <"$file") bytes)"
        if command -v python3 >/dev/null; then
            python3 -c 'import sys; print("    bytes:", repr(open(sys.argv[1], "rb").read()[:1024]))' "$file"
        fi
    done
    echo "    rerun: bash Fuzz/run.sh --reproduce ${findings[0]:-FILE}"
    echo "    minimize: \"$BIN\" -minimize_crash=1 -runs=10000 ${findings[0]:-FILE}"
    echo "    then add the bytes as a byte-exact test to Tests/HTTPServerTests (docs/FUZZING.md)"
    exit 1
fi
echo "==> no finding in ${SECONDS_TO_RUN}s; corpus: $(find "$WORK_CORPUS" -type f | wc -l) inputs in $WORK_CORPUS"
