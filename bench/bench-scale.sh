#!/bin/sh
# bench/bench-scale.sh - how each reader's time grows: 1x, 10x and 100x
# entries (and one entry of many authors, a long field, deep braces, a line of
# many links), CPU seconds of cvbib alone less its start-up, and the growth
# from one size to the next (10: linear, 100: quadratic).  Issue 20, finding 3;
# tests/suites/reader-scale.sh is the guard make check runs.
#   sh bench/bench-scale.sh [READER ...]     (bench/scale-gen.py lists them)
top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/cvbib" ] || { echo "build cvbib first"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to build the data"; exit 0; }
python3 "$top/bench/scale-run.py" bench "$top/cvbib" "$@"
