# roundtrip.py A.json B.json ERR: print the fields of A's items (CSL-JSON)
# that B (A through hayagriva and back) changed without a report in ERR
# ("not written: FIELD ...").  Allowed: markup, when a loss of formatting was
# reported; the particle kind, when dropping-particle was; nested nocase spans
# read back as one; numbers read back as their text; items whose id A holds
# twice (hayagriva keys are unique).
import json, re, sys
from collections import Counter

def load(f):
    return json.load(open(f))

def plain(v):
    return re.sub(r'<[^>]*>', '', v) if isinstance(v, str) else v

def norm(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, str):
        n = '<span class="nocase">'
        while n + n in v:
            v = v.replace(n + n, n, 1).replace('</span></span>', '</span>', 1)
    return v

def particles(v):
    if not isinstance(v, list):
        return v
    return [{('non-dropping-particle' if k == 'dropping-particle' else k): x
             for k, x in n.items()} for n in v]

A, B = load(sys.argv[1]), load(sys.argv[2])
err = open(sys.argv[3]).read()
lost = {m.strip('"') for m in re.findall(r'not written: (\S+)', err)}
if 'and' in lost:                       # "and others" in a name list
    lost |= {'author', 'editor'}
if 'id' in lost:                        # the citation key became the key
    A = [dict(i, id=i.get('citation-key', i['id'])) for i in A]
twice = {k for k, c in Counter(i['id'] for i in A).items() if c > 1}
b = {str(i['id']): i for i in B}
bad = []
for x in A:
    if x['id'] in twice:
        continue
    y = b.get(str(x['id']), {})
    for f, v in x.items():
        w = y.get(f)
        if f in lost or f in ('custom', 'citation-key', 'id') or norm(v) == norm(w):
            continue
        if 'formatting' in lost and plain(norm(v)) == plain(norm(w)):
            continue
        if 'dropping-particle' in lost and particles(v) == particles(w):
            continue
        if 'name' in lost and isinstance(v, list) and [
                {k: z for k, z in n.items() if k not in ('comma-suffix', 'static-ordering', 'parse-names')}
                for n in v] == w:
            continue
        bad.append('%s %s: %r != %r' % (x['id'], f, v, w))
print('\n'.join(bad))
