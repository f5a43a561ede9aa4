#!/usr/bin/python3
"""Round-trip every INPUT section of the CSL test-suite fixtures through cvbib.

  csljson_roundtrip.py CVBIB FIXTURE_DIR SCHEMA

For each fixture: write its INPUT to a file, run `CVBIB --format csljson` on it,
and check that
  1. the output is semantically equal to the input (see normalise() for the only
     differences allowed: spellings the CSL-JSON schema defines as aliases, fields
     outside the schema moved under "custom", and equivalent encodings of one value);
  2. the output validates against the CSL-JSON schema (csl-data.json);
  3. running cvbib on its own output gives the same bytes (deterministic, stable).
Prints PASS/FAIL per fixture and a closing "N passed, N failed".
Uses Debian's python3-jsonschema (run with /usr/bin/python3).
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

cvbib, fixdir, schema_path = sys.argv[1:4]
schema = json.load(open(schema_path, encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema)
props = schema["items"]["properties"]
ALIASES = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short"}
NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
             "comma-suffix", "static-ordering", "literal", "parse-names"}


def truthy(v):
    if isinstance(v, str):
        return v not in ("", "false", "0")
    return bool(v)


def norm_name(n):
    if not isinstance(n, dict):
        return n
    out = {}
    for k, v in n.items():
        if k in ("comma-suffix", "static-ordering"):
            if truthy(v):
                out[k] = True
        elif k == "parse-names":
            out[k] = truthy(v)
        elif k == "isInstitution":
            continue
        elif k in NAME_KEYS:
            out[k] = v if isinstance(v, str) else str(v)
    # an organisation is a literal name in CSL-JSON (Zotero writes its empty
    # given name: no given name)
    if n.get("isInstitution") and out.get("given") == "":
        del out["given"]
    if n.get("isInstitution") and set(out) == {"family"}:
        out = {"literal": out["family"]}
    return out


def norm_date(d):
    if isinstance(d, str):
        return {"raw": d}
    out = dict(d)
    if "circa" in out:
        if truthy(out["circa"]):
            out["circa"] = True
        else:
            del out["circa"]
    if "date-parts" in out:
        # trailing empty parts ("") mean absent
        rows = []
        for row in out["date-parts"]:
            r = []
            for p in row:
                if p == "" or p is None:
                    break
                r.append(p)
            if r:
                rows.append(r)
        out["date-parts"] = rows
        if not rows:
            del out["date-parts"]
    return out


def normalise(item):
    out, custom = {}, {}
    for k, v in item.items():
        k = ALIASES.get(k, k)
        if k == "custom" and isinstance(v, dict):
            custom.update(v)
        elif k not in props:
            custom[k] = v
        elif k in ("id",):
            out[k] = v
        elif props[k].get("type") == "array" and isinstance(props[k].get("items"), dict) \
                and "$ref" in props[k]["items"]:
            out[k] = [norm_name(n) for n in v]
        elif props[k].get("$ref", "").endswith("date-variable"):
            out[k] = norm_date(v)
        else:
            out[k] = v
    if custom:
        out["custom"] = custom
    return out


def extract(text, section):
    m = re.search(r">>=+ %s =+>>(.*?)<<=+ %s =+<<" % (section, section), text, re.S)
    return m.group(1) if m else None


def run(path):
    p = subprocess.run([cvbib, "--format", "csljson", path], capture_output=True)
    return p.returncode, p.stdout, p.stderr


passed = failed = 0
files = sorted(glob.glob(os.path.join(fixdir, "**", "*.txt"), recursive=True))
# CHECK_QUICK (the sanitizer pass of .ci/run, where each run costs more):
# every fourth fixture; the plain pass takes them all
if os.environ.get("CHECK_QUICK"):
    files = files[::4]
with tempfile.TemporaryDirectory() as tmp:
    for f in files:
        name = os.path.relpath(f, fixdir)
        raw = extract(open(f, encoding="utf-8").read(), "INPUT")
        if raw is None:
            continue
        src = json.loads(raw)
        items = src if isinstance(src, list) else [src]
        inp = os.path.join(tmp, "in.json")
        with open(inp, "w", encoding="utf-8") as fh:
            fh.write(raw)
        rc, out, err = run(inp)
        problems = []
        try:
            got = json.loads(out)
        except ValueError as e:
            problems.append("output is not JSON: %s" % e)
            got = None
        if got is not None:
            want = [normalise(i) for i in items]
            have = [normalise(i) for i in got]
            # items without an id get one made up; items without a type get "document"
            for w, h in zip(want, have):
                if "id" not in w and "id" in h:
                    w["id"] = h["id"]
                if "type" not in w and h.get("type") == "document":
                    w["type"] = "document"
                if isinstance(w.get("type"), str) and w["type"] not in props["type"]["enum"]:
                    w.setdefault("custom", {})["type"] = w["type"]
                    w["type"] = "document"
                    w["custom"] = dict(sorted(w["custom"].items(), key=lambda kv: kv[0] != "type"))
            if want != have:
                for i, (w, h) in enumerate(zip(want, have)):
                    if w != h:
                        keys = sorted(set(w) | set(h))
                        diff = [k for k in keys if w.get(k) != h.get(k)]
                        problems.append("item %d differs in %s: %r vs %r" % (
                            i, diff, {k: w.get(k) for k in diff}, {k: h.get(k) for k in diff}))
                        break
                if len(want) != len(have):
                    problems.append("%d items in, %d out" % (len(want), len(have)))
            errs = list(validator.iter_errors(got))
            if errs:
                problems.append("schema: %s at %s" % (errs[0].message, list(errs[0].path)))
            again = os.path.join(tmp, "again.json")
            with open(again, "wb") as fh:
                fh.write(out)
            rc2, out2, err2 = run(again)
            if out2 != out:
                problems.append("not stable: a second pass changed the output")
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems)[:400]))
        else:
            passed += 1
            print("PASS %s" % name)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
