#!/usr/bin/env python3
"""tests/helper/gen-items.py - derive N varied CSL-JSON items from a seed set.

    python3 tests/helper/gen-items.py N [SEED.json] [--seed S] > items.json

Item k is a copy of seed item k mod len(seeds) whose id, title, names, date,
volume, issue, pages and DOI are varied by a pseudo-random generator seeded
with S (default 1): the same arguments always give the same file, and every
item stays of its seed's type and shape, so the mix of types, name forms
(particles, suffixes, corporate and single names, long author lists) and date
forms (ranges, seasons, circa, literal, missing) of the seed set is kept at
every size.  Used by bench/bench-csl.sh (1,000 / 5,000 / 50,000 items).
"""
import copy
import json
import os
import random
import sys

FAMILIES = ["Smith", "Nakamura", "Okafor", "Larsen", "Rossi", "Kowalski", "Haddad",
            "Fernández", "Ivanova", "Chen", "Dubois", "Müller", "Singh", "O'Neill",
            "Costa", "Yilmaz", "Novák", "Andersson", "Mbeki", "Tanaka", "Brown", "García"]
GIVENS = ["Anna", "Bo", "Carlos", "Dana", "Élodie", "Femi", "Gustav", "Hana", "Ian",
          "Jun", "Kateřina", "Luis", "Mira", "Nils", "Olga", "Priya", "Quentin", "Rui",
          "Sofia", "Tomasz", "Uma", "Victor", "Wen", "Yusuf", "Zoë"]
WORDS = ["adaptive", "analysis", "of", "networks", "in", "the", "robust", "model",
         "for", "dynamic", "systems", "evidence", "from", "large-scale", "data",
         "learning", "a", "study", "on", "inference", "spatial", "patterns", "and",
         "temporal", "effects", "with", "sparse", "observations", "theory", "methods"]


def vary_name(rng, n):
    n = dict(n)
    if "literal" in n:
        if rng.random() < 0.5:
            n["literal"] = n["literal"] + " " + rng.choice(["Group", "Consortium", "Institute"])
        return n
    if "family" in n and rng.random() < 0.7:
        n["family"] = rng.choice(FAMILIES)
    if "given" in n and rng.random() < 0.7:
        g = rng.choice(GIVENS)
        if rng.random() < 0.3:
            g += " " + rng.choice(GIVENS)[0] + "."
        n["given"] = g
    return n


def vary_date(rng, d):
    d = copy.deepcopy(d)
    parts = d.get("date-parts")
    if parts:
        shift = rng.randint(-15, 5)
        for p in parts:
            if p and isinstance(p[0], int) and p[0] > 0:
                p[0] = min(2026, p[0] + shift)
            if len(p) >= 2 and rng.random() < 0.3:
                p[1] = rng.randint(1, 12)
            if len(p) >= 3:
                p[2] = rng.randint(1, 28)
    return d


def derive(rng, seed, k):
    it = copy.deepcopy(seed)
    it["id"] = "%s-%d" % (seed["id"], k)
    if "title" in it:
        words = rng.sample(WORDS, rng.randint(3, 9))
        it["title"] = seed["title"] + ": " + " ".join(words)
    for role in ("author", "editor", "translator", "director", "interviewer", "reviewed-author"):
        if role in it:
            it[role] = [vary_name(rng, n) for n in it[role]]
    for dv in ("issued", "accessed", "event-date", "original-date", "submitted"):
        if dv in it:
            it[dv] = vary_date(rng, it[dv])
    if "volume" in it and it["volume"].isdigit():
        it["volume"] = str(rng.randint(1, 200))
    if "issue" in it and it["issue"].isdigit():
        it["issue"] = str(rng.randint(1, 12))
    if "page" in it and "-" in it["page"] and it["page"].replace("-", "").isdigit():
        first = rng.randint(1, 2000)
        it["page"] = "%d-%d" % (first, first + rng.randint(1, 40))
    if "DOI" in it:
        it["DOI"] = "%s.%d" % (it["DOI"], k)
    return it


def main(argv):
    args = [a for a in argv[1:]]
    seed_val = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed_val = int(args[i + 1])
        del args[i:i + 2]
    if not args:
        sys.stderr.write(__doc__)
        return 2
    n = int(args[0])
    here = os.path.dirname(os.path.abspath(__file__))
    src = args[1] if len(args) > 1 else os.path.join(here, "..", "data", "items-varied.json")
    with open(src, encoding="utf-8") as f:
        seeds = json.load(f)
    rng = random.Random(seed_val)
    out = [derive(rng, seeds[k % len(seeds)], k) for k in range(n)]
    # one item per line: readers report positions as line:column
    sys.stdout.write("[\n")
    sys.stdout.write(",\n".join(json.dumps(it, ensure_ascii=False, separators=(",", ":")) for it in out))
    sys.stdout.write("\n]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
