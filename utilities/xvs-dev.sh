#!/bin/sh
# xvs-dev.sh: the two things a developer does on a fresh Debian 12 machine.
#
#   utilities/xvs-dev.sh sandbox   install what is missing, build, run the demo
#                                  (xvs-sandbox --batch: database, switch, two
#                                  namespace hosts pinging through AF_XDP ports)
#   utilities/xvs-dev.sh check     install what is missing, build with -Werror
#                                  and run the whole test suite, then build
#                                  with ASan+UBSan and run the suite again,
#                                  then run libFuzzer on the OpenFlow
#                                  decoders (a clang build, _build-fuzz/)
#   utilities/xvs-dev.sh bench [ARGS]  install what is missing, build, run
#                                  the forwarding benchmark (xvs-bench ARGS,
#                                  e.g. --quick; see doc/benchmark.md)
#   utilities/xvs-dev.sh failures [DIR]  print the end of the log of each
#                                  test that failed in the last run of the
#                                  suite in build DIR (default _build/;
#                                  relative to the source tree), as
#                                  "check" does above its closing line
#
# Builds go to _build/ (and _build-san/) beside the sources, both with
# -Werror so the two commands share _build/.  TESTSUITEFLAGS
# passes through to the test suite (e.g. TESTSUITEFLAGS='-k ovsdb').
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

BUILD_PKGS="autoconf automake libtool pkg-config gcc make libjansson-dev
libprotobuf-c-dev protobuf-c-compiler libxdp-dev libbpf-dev libevent-dev
libssl-dev liburcu-dev libmnl-dev clang llvm"
# clang and llvm compile the benchmark's XDP programs (utilities/bench).
# ovn-host and ovn-central: tests/ovn.at runs ovn-controller, ovn-northd
# and their databases in its own directory, never as system services.
# openvswitch-switch (ovs-vsctl) and python3-openvswitch (the Python IDL)
# are peers of the config store's tests (ovn-host pulls both in too).
TEST_PKGS="iproute2 iputils-ping ethtool openvswitch-common python3 procps
openssl tshark python3-os-ken ovn-host ovn-central openvswitch-switch
python3-openvswitch"

install_missing() {
    missing=
    for p in $BUILD_PKGS $TEST_PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "xvs-dev: installing:$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "xvs-dev: run as root to install packages" >&2
        exit 1
    fi
    apt-get update -qq
    # tshark asks whether non-root users may capture; they need not.
    echo "wireshark-common wireshark-common/install-setuid boolean false" \
        | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

build() {   # build DIR CONFIGURE-ARGS...
    dir=$1; shift
    [ -x configure ] || ./autogen.sh >/dev/null 2>&1
    mkdir -p "$dir"
    (cd "$dir" && { [ -f Makefile ] || "$top/configure" -q "$@"; } \
        && make -s -j"$(nproc)" >/dev/null)
}

# Runs the suite in DIR; returns its status and leaves the counts in
# $passed/$failed for the closing line.
run_suite() {
    dir=$1
    status=0
    (cd "$dir" && make -s check TESTSUITEFLAGS="${TESTSUITEFLAGS:--j2}") || status=$?
    log="$dir/tests/testsuite.log"
    p=$(grep -Ec '^[0-9]+\. .*: ok' "$log" 2>/dev/null || true)
    f=$(grep -Ec '^[0-9]+\. .*: FAILED' "$log" 2>/dev/null || true)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    [ "$status" = 0 ] || failure_details "$dir" >> "$failures"
    return $status
}

# Prints the end of the log of each test that failed in DIR: printed just
# above the closing line, it says why where a CI log shows only its head
# and tail.
failure_details() {
    for t in "$1"/tests/testsuite.dir/[0-9]*/testsuite.log; do
        [ -f "$t" ] || continue
        echo "== $t (last 30 lines)"
        tail -n 30 "$t"
    done
}

# Runs libFuzzer on the OpenFlow decoders in a clang build with ASan and
# UBSan (make fuzz-check: bounded in inputs and time, fixed seed); counts
# as one test.  Its output goes to _build-fuzz/fuzz.log.
run_fuzz() {
    dir=_build-fuzz
    mkdir -p "$dir"
    if (cd "$dir" && { [ -f Makefile ] || CC=clang "$top/configure" -q \
            --enable-werror --enable-asan --enable-ubsan --enable-fuzzing; } \
        && make -s -j"$(nproc)" fuzz-check) > "$dir/fuzz.log" 2>&1; then
        grep -E '^Done [0-9]+ runs' "$dir/fuzz.log" || true
        passed=$((passed + 1))
    else
        tail -n 40 "$dir/fuzz.log"
        failed=$((failed + 1))
        return 1
    fi
}

case "${1:-}" in
sandbox)
    install_missing
    build _build --enable-werror
    exec "$top/utilities/xvs-sandbox" --builddir="$top/_build" --batch
    ;;
check)
    install_missing
    passed=0 failed=0 rc=0
    failures=$(mktemp)
    trap 'rm -f "$failures"' EXIT
    echo "== -Werror build and test suite"
    build _build --enable-werror
    run_suite _build || rc=1
    echo "== ASan+UBSan build and test suite"
    build _build-san --enable-werror --enable-asan --enable-ubsan
    run_suite _build-san || rc=1
    echo "== libFuzzer on the OpenFlow decoders (clang, ASan+UBSan)"
    run_fuzz || rc=1
    cat "$failures"
    echo "$passed passed, $failed failed"
    exit $rc
    ;;
bench)
    shift
    install_missing
    build _build --enable-werror
    exec "$top/utilities/xvs-bench" --builddir="$top/_build" "$@"
    ;;
failures)
    dir=${2:-_build}
    [ -d "$dir/tests" ] || { echo "xvs-dev: $dir: no test suite has run there" >&2; exit 1; }
    failure_details "$dir"
    ;;
*)
    echo "usage: $0 sandbox|check|bench|failures [ARGS]" >&2
    exit 1
    ;;
esac
