#!/usr/bin/env python3
"""bench/scale-run.py - how each reader's time grows with its input (issue 20).

    python3 bench/scale-run.py bench CVBIB [READER|SHAPE ...]
    python3 bench/scale-run.py check CVBIB [READER|SHAPE ...]

Every reader of bench/scale-gen.py (and the shapes names, field, nesting,
links) reads an input of 1x, 10x and 100x entries (bench), written as CSL-JSON
to /dev/null; times are CPU seconds (user + system) of the cvbib process
alone, so that other work on the machine counts little, less the CPU time of
reading a one-entry input (start-up: the models, styles and tables loaded).

bench prints a table: entries, CPU seconds, peak memory, and the growth from
one size to the next (10 for linear time, 100 for quadratic).

check is the guard make check runs (tests/suites/reader-scale.sh): per reader,
the 1x size is doubled (from a pilot run's time) until reading takes at
least MIN_CPU seconds (above timer noise), then time(10x) / time(1x), each the best of a few runs, must
stay under LIMIT (25: linear time gives about 10, quadratic 100).  A ratio
over the limit is measured once more, with more runs, before it fails: a
loaded machine must not make the test flaky.  An input that even at the
largest size (CHECK_CAP) reads in under FAST seconds at 10x passes: its times
are too small to divide.  Prints PASS/FAIL per reader
and "N passed, N failed".
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "scale-gen.py")
READERS = ["bibtex", "csljson", "csl-yaml", "rendercv", "hayagriva", "ris", "text",
           "markdown", "html", "medline", "endnote", "enw", "orcid", "dblp", "openalex",
           "scholar-csv", "cff", "jsonresume"]
SHAPES = ["names", "field", "nesting", "links"]
# 1x sizes for make bench (the CV readers run the reference parser: slower)
BENCH_BASE = {"text": 200, "markdown": 200, "html": 200, "links": 2000, "names": 2000,
              "field": 20000, "nesting": 2000, "cff": 1000}
BENCH_DEFAULT = 1000
# check: first 1x size tried, and the largest
CHECK_START = {"text": 50, "markdown": 50, "html": 50, "field": 20000, "nesting": 1000,
               "links": 500, "names": 1000}
CHECK_DEFAULT = 1000
CHECK_CAP = 400000
MIN_CPU = 0.1
FAST = 0.25
LIMIT = 25.0


def gen(cvbib, what, n, tmp):
    prefix = os.path.join(tmp, "%s-%d" % (what, n))
    args = [sys.executable, GEN, cvbib, what if what in READERS else "bibtex", str(n), prefix]
    if what in SHAPES:
        args.append(what)
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def run_once(cvbib, path):
    """CPU seconds and peak kilobytes of one cvbib reading path."""
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen([cvbib, "-q", "-t", "csljson", path], stdout=null, stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def best(cvbib, path, runs):
    v = [run_once(cvbib, path) for _ in range(runs)]
    return min(c for c, _ in v), max(m for _, m in v)


def bench(cvbib, whats):
    tmp = tempfile.mkdtemp(prefix="cvbib-scale.")
    print("%-12s %9s %9s %9s %9s %9s %9s %8s %8s" % (
        "reader", "1x", "10x", "100x", "cpu 1x", "cpu 10x", "cpu 100x", "10x/1x", "100x/10x"))
    try:
        for w in whats:
            base = BENCH_BASE.get(w, BENCH_DEFAULT)
            start, _ = best(cvbib, gen(cvbib, w, 1, tmp), 3)
            cpu, mem = [], []
            for f in (1, 10, 100):
                path = gen(cvbib, w, base * f, tmp)
                c, m = best(cvbib, path, 3 if f < 100 else 1)
                cpu.append(max(c - start, 1e-3))
                mem.append(m)
                os.unlink(path)
            print("%-12s %9d %9d %9d %8.2fs %8.2fs %8.2fs %8.1f %8.1f   (start-up %.2fs, "
                  "peak %d MB at 100x)" % (w, base, base * 10, base * 100, cpu[0], cpu[1], cpu[2],
                                            cpu[1] / cpu[0], cpu[2] / cpu[1], start,
                                            mem[2] // 1024))
            sys.stdout.flush()
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return 0


def ratio(cvbib, w, tmp, runs):
    start, _ = best(cvbib, gen(cvbib, w, 1, tmp), runs)
    # a pilot run tells the size that takes MIN_CPU
    n = CHECK_START.get(w, CHECK_DEFAULT)
    p = gen(cvbib, w, n, tmp)
    t, _ = best(cvbib, p, 1)
    os.unlink(p)
    while n * 2 * 10 <= CHECK_CAP and (t - start) * 1.2 < MIN_CPU:
        n *= 2
        t = start + (t - start) * 2
    p1 = gen(cvbib, w, n, tmp)
    t1, _ = best(cvbib, p1, runs)
    p10 = gen(cvbib, w, n * 10, tmp)
    t10, _ = best(cvbib, p10, max(2, runs - 1))
    os.unlink(p1)
    os.unlink(p10)
    a, b = max(t1 - start, 1e-3), max(t10 - start, 1e-3)
    return n, a, b, b / a


def check(cvbib, whats):
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="cvbib-scale.")
    try:
        for w in whats:
            t0 = time.time()
            n, a, b, r = ratio(cvbib, w, tmp, 3)
            note = ""
            if r >= LIMIT and b < FAST:
                # at the largest size tried still too fast to time: no growth
                # that matters (and the ratio of such times is noise)
                note = " (both under %.2fs: not timed closer)" % FAST
                r = 0.0
            if r >= LIMIT:
                # once more, with more runs, before calling it superlinear
                n, a, b, r2 = ratio(cvbib, w, tmp, 5)
                note = " (measured twice: %.1f, then %.1f)" % (r, r2)
                r = min(r, r2)
            line = "%s: %d entries %.2fs, %d entries %.2fs CPU: x%.1f (limit %.0f)%s [%.0fs]" % (
                w, n, a, n * 10, b, r, LIMIT, note, time.time() - t0)
            if r < LIMIT:
                passed += 1
                print("PASS reader-scale %s" % line)
            else:
                failed += 1
                print("FAIL reader-scale %s" % line)
            sys.stdout.flush()
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(argv):
    if len(argv) < 3 or argv[1] not in ("bench", "check"):
        raise SystemExit(__doc__)
    whats = argv[3:] or READERS + SHAPES
    for w in whats:
        if w not in READERS and w not in SHAPES:
            raise SystemExit("scale-run: unknown reader or shape " + w)
    return bench(argv[2], whats) if argv[1] == "bench" else check(argv[2], whats)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
