#!/bin/sh
# Install the OpenAttestation reference implementation for the conformance tests
# (tests/conformance/openattestation: package.json and package-lock.json pin every version).
#
# With node and npm on the machine, runs `npm ci` there when node_modules is missing or older
# than the lock file (no install scripts run). Otherwise says why it does nothing: the tests
# that need the reference implementation then skip with that reason. Never fails the build.
set -u

dir="$(dirname "$0")/../tests/conformance/openattestation"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "ensure-openattestation: node or npm is missing: the reference-implementation tests will be skipped"
    exit 0
fi
marker="$dir/node_modules/.package-lock.json"
if [ -f "$marker" ] && [ ! "$dir/package-lock.json" -nt "$marker" ]; then
    echo "ensure-openattestation: @govtechsg/open-attestation is installed"
    exit 0
fi
echo "ensure-openattestation: npm ci in $dir (@govtechsg/open-attestation, versions from package-lock.json)"
if (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "ensure-openattestation: installed"
else
    echo "ensure-openattestation: npm ci failed: the reference-implementation tests will be skipped"
fi
exit 0
