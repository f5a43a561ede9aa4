#!/bin/sh
# tests/suites/csl-fixtures.sh - cvbib's own fixtures in the CSL test-suite
# format (tests/csl/*.txt: one per engine fix, with citeproc-js's output as
# the expected result, written by tests/helper/csl-fixture-new.py), run by
# build/csl-fixture with the suite's locales.  Every one must pass.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
make --no-print-directory -s build/csl-fixture >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
exec build/csl-fixture -v -L "$top/../shared/csl-test-suite/locales" tests/csl/*.txt
