#!/usr/bin/env python3
"""fake-crossref.py - a loopback stand-in for api.crossref.org, api.datacite.org
and doi.org, for cvbib's enrichment tests.  Python 3 standard library only.

It serves ../shared/crossref-fixtures (and tests/server/fixtures) by path and
query, logs every request (headers included) as one JSON line, and injects
faults on demand.

  fake-crossref.py --root DIR [--extra DIR] --port-file FILE --log FILE
                   [--rate N] [--conc M] [--delay SECS] [--idle SECS]

Routes (one server plays all three services):
  GET /works/DOI             Crossref work (work__*, item__* wrapped, 301 aliases)
  GET /works/DOI/agency      Crossref agency answer
  GET /works?query.bibliographic=Q&rows=N
                             a small search over every work fixture: items are
                             ranked by shared words and carry a "score"
  GET /ra/PREFIX             doi.org registration agency
  GET /dois/DOI              DataCite REST
  GET /DOI                   doi.org content negotiation (CSL-JSON)
  GET /works/10.5555/bench.N synthetic works for the benchmark

Every answer carries x-rate-limit-limit, x-rate-limit-interval and
x-concurrency-limit (--rate, --conc; default 50/s and 1).  Requests over the
limits are answered 429 and logged as {"violation": ...}.

Faults, armed per path through the control route (not logged):
  GET /_control/fault?path=/works/10.1/x&actions=429,503,ok
  GET /_control/reset        forget faults and truncate the log
Each request to the path takes the next action (the last one repeats):
  ok        serve normally          429      429 without Retry-After
  429raN    429 with Retry-After N  429date  429 with an HTTP-date Retry-After
  500 503 504 (any NNN)  that status
  hangN     say nothing for N s     slowN    body dripped over N s
  trunc     Content-Length larger than the body, then close
  badjson   200 with invalid JSON   huge     200 with a 17 MiB body
  close     close without answering
  redirect:PATH   301 to PATH (relative Location)
  as:DOI    200 with the record of another DOI
  portal    200 with an HTML captive-portal page
  failedjson  200 with {"status":"failed"}
The port file gets "PORT BLACKHOLE_PORT": the second port has a full accept
queue and never accepts, so connecting to it times out.
"""
import argparse
import collections
import email.utils
import glob
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORD = re.compile(r"[a-z0-9]+")


def words(s):
    s = re.sub(r"<[^>]*>", " ", s or "")
    return set(WORD.findall(s.lower()))


class Fixtures:
    def __init__(self, dirs):
        self.works = {}       # doi -> message dict
        self.raw = {}         # doi -> bytes of a work__ file (served as is)
        self.agency = {}      # doi -> bytes
        self.redirect = {}    # doi -> location
        self.ra = {}          # prefix -> bytes
        self.datacite = {}    # doi -> bytes
        self.csl = {}         # doi -> bytes
        for d in dirs:
            self.load(d)
        self.index = [(doi, words(" ".join(m.get("title") or []) + " " +
                                  " ".join(a.get("family", "") or a.get("name", "")
                                           for a in m.get("author") or []) + " " +
                                  " ".join(m.get("container-title") or [])))
                      for doi, m in self.works.items()]

    def load(self, d):
        for f in sorted(glob.glob(os.path.join(d, "*"))):
            base = os.path.basename(f)
            if os.path.isdir(f):
                continue
            data = open(f, "rb").read()
            try:
                if base.startswith("work__"):
                    m = json.loads(data)["message"]
                    self.works[m["DOI"].lower()] = m
                    self.raw[m["DOI"].lower()] = data
                elif base.startswith("search__"):
                    for m in json.loads(data)["message"]["items"]:
                        if "DOI" in m and "title" in m and m["DOI"].lower() not in self.works:
                            m = dict(m)
                            m.pop("score", None)
                            self.works[m["DOI"].lower()] = m
                elif base.startswith("item__"):
                    m = json.loads(data)
                    self.works[m["DOI"].lower()] = m
                elif base.startswith("agency__200"):
                    m = json.loads(data)["message"]
                    self.agency[m["DOI"].lower()] = data
                elif base.startswith("doi-ra__"):
                    m = json.loads(data)
                    self.ra[m[0]["DOI"].lower()] = data
                elif base.startswith("datacite__"):
                    m = json.loads(data)
                    self.datacite[m["data"]["attributes"]["doi"].lower()] = data
                elif base.startswith("cn-csl__"):
                    m = json.loads(data)
                    self.csl[m["DOI"].lower()] = data
                elif base.startswith("redirect__301__"):
                    http = open(os.path.join(d, "_http", base + ".http")).read()
                    req = re.search(r"^> GET https?://[^/]+/works/(\S+)", http, re.M).group(1)
                    loc = re.search(r"^< Location: (\S+)", http, re.M | re.I).group(1)
                    self.redirect[urllib.parse.unquote(req).lower()] = loc
            except (ValueError, KeyError, IndexError, AttributeError, OSError):
                pass

    def prefixes(self):
        out = {}
        for doi in self.works:
            out.setdefault(doi.split("/")[0], "Crossref")
        for doi in self.datacite:
            out.setdefault(doi.split("/")[0], "DataCite")
        return out


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.faults = {}
        self.arrivals = collections.deque()
        self.inflight = 0
        self.logf = open(args.log, "a", buffering=1)
        self.last = time.monotonic()

    def log(self, rec):
        with self.lock:
            self.logf.write(json.dumps(rec, sort_keys=True) + "\n")

    def next_action(self, path):
        with self.lock:
            acts = self.faults.get(path)
            if not acts:
                return "ok"
            if len(acts) > 1:
                return acts.pop(0)
            return acts[0]


def envelope(m):
    return json.dumps({"status": "ok", "message-type": "work",
                       "message-version": "1.0.0", "message": m}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-crossref/1"

    def log_message(self, *a):
        pass

    # -- plumbing
    def limits(self):
        a = self.server.state.args
        return [("x-rate-limit-limit", str(a.rate)), ("x-rate-limit-interval", "1s"),
                ("x-concurrency-limit", str(a.conc)),
                ("x-api-pool", "polite" if "mailto:" in (self.headers.get("User-Agent") or "") else "public")]

    def send(self, status, body, ctype="application/json", extra=(), length=None, drip=0.0):
        st = self.server.state
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in list(self.limits()) + list(extra):
            self.send_header(k, v)
        self.end_headers()
        with st.lock:
            st.inflight -= 1
            self.counted = False
        try:
            if drip > 0 and len(body) > 0:
                n = 10
                step = max(1, len(body) // n)
                for i in range(0, len(body), step):
                    self.wfile.write(body[i:i + step])
                    self.wfile.flush()
                    time.sleep(drip / n)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.status = status

    def do_GET(self):
        st = self.server.state
        st.last = time.monotonic()
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/_control/"):
            return self.control(url)
        now = time.time()
        self.counted = True
        violation = None
        a = st.args
        with st.lock:
            st.inflight += 1
            st.arrivals.append(now)
            while st.arrivals and st.arrivals[0] <= now - (1.0 - a.tolerance):
                st.arrivals.popleft()
            if len(st.arrivals) > a.rate:
                violation = "rate: %d requests within 1 s (limit %d)" % (len(st.arrivals), a.rate)
            elif st.inflight > a.conc:
                violation = "concurrency: %d in flight (limit %d)" % (st.inflight, a.conc)
            inflight = st.inflight
        rec = {"t": round(now, 4), "method": "GET", "path": self.path,
               "headers": {k.lower(): v for k, v in self.headers.items()},
               "inflight": inflight}
        if violation:
            rec["violation"] = violation
        st.log(rec)
        self.status = None
        try:
            if violation:
                self.send(429, "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many "
                          "requests in a given amount of time.\n</body></html>", "text/html")
                return
            if a.delay > 0:
                time.sleep(a.delay)
            self.route(url)
        finally:
            if self.counted:
                with st.lock:
                    st.inflight -= 1

    def control(self, url):
        st = self.server.state
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/_control/fault":
            path = urllib.parse.unquote(q["path"][0]).lower()
            with st.lock:
                st.faults[path] = q["actions"][0].split(",")
        elif url.path == "/_control/reset":
            with st.lock:
                st.faults.clear()
                st.logf.truncate(0)
                st.logf.seek(0)
                st.arrivals.clear()
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # -- answers
    def route(self, url):
        st = self.server.state
        fx = self.server.fixtures
        path = urllib.parse.unquote(url.path)
        act = st.next_action(path.lower())
        if act != "ok" and self.fault(act):
            return
        q = urllib.parse.parse_qs(url.query)
        if path == "/works" and "query.bibliographic" in q:
            return self.search(q["query.bibliographic"][0], int(q.get("rows", ["20"])[0]))
        if path == "/works":
            return self.send(400, json.dumps({"status": "failed", "message-type": "validation-failure",
                                              "message": [{"type": "parameter-not-allowed"}]}))
        m = re.match(r"^/works/(.+)/agency$", path)
        if m:
            doi = m.group(1).lower()
            if doi in fx.agency:
                return self.send(200, fx.agency[doi])
            ag = "crossref" if doi in fx.works else "datacite" if doi in fx.datacite else None
            if ag:
                return self.send(200, json.dumps({"status": "ok", "message-type": "work-agency",
                                                  "message": {"DOI": doi, "agency": {"id": ag}}}))
            return self.send(404, "Resource not found.", "text/plain")
        m = re.match(r"^/works/(10\..+)$", path)
        if m:
            doi = m.group(1).lower()
            if doi in fx.redirect:
                return self.send(301, b"", "text/plain", [("Location", fx.redirect[doi])])
            if doi in fx.raw:
                return self.send(200, fx.raw[doi])
            if doi in fx.works:
                return self.send(200, envelope(fx.works[doi]))
            b = re.match(r"^10\.5555/bench\.(\d+)$", doi)
            if b:
                t = dict(fx.works["10.1371/journal.pone.0033693"])
                t["DOI"] = doi
                t["title"] = ["Benchmark record %s" % b.group(1)]
                return self.send(200, envelope(t))
            return self.send(404, "Resource not found.", "text/plain")
        m = re.match(r"^/ra/(10\.[^/]+)$", path)
        if m:
            p = m.group(1).lower()
            if p in fx.ra:
                return self.send(200, fx.ra[p])
            ra = fx.prefixes().get(p)
            ans = {"DOI": p, "RA": ra} if ra else {"DOI": p, "status": "Prefix does not exist"}
            return self.send(200, json.dumps([ans], indent=2))
        m = re.match(r"^/dois/(10\..+)$", path)
        if m:
            doi = m.group(1).lower()
            if doi in fx.datacite:
                return self.send(200, fx.datacite[doi], "application/json; charset=utf-8")
            return self.send(404, json.dumps({"errors": [{"status": "404", "title":
                             "The resource you are looking for doesn't exist."}]}))
        m = re.match(r"^/(10\..+)$", path)
        if m:
            doi = m.group(1).lower()
            if doi in fx.csl and "csl+json" in (self.headers.get("Accept") or ""):
                return self.send(200, fx.csl[doi], "application/vnd.citationstyles.csl+json")
            return self.send(404, "<html><body>DOI Not Found</body></html>", "text/html")
        return self.send(404, "Resource not found.", "text/plain")

    def search(self, query, rows):
        fx = self.server.fixtures
        qw = words(query)
        scored = []
        for doi, w in fx.index:
            common = len(qw & w)
            if common:
                scored.append((round(common * 2.5 + 0.01 * len(w & qw) / (1 + len(w)), 6), doi))
        scored.sort(key=lambda x: (-x[0], x[1]))
        items = []
        for s, doi in scored[:max(1, min(rows, 100))]:
            it = dict(fx.works[doi])
            it["score"] = s
            items.append(it)
        body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": len(scored), "items": items,
                            "items-per-page": rows,
                            "query": {"start-index": 0, "search-terms": None}}}
        self.send(200, json.dumps(body))

    def fault(self, act):
        if act == "429":
            self.send(429, "<html><body><h1>429 Too Many Requests</h1>\n</body></html>", "text/html",
                      [("Cache-Control", "no-cache")])
        elif act == "429date":
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            self.send(429, "<html><body><h1>429 Too Many Requests</h1>\n</body></html>", "text/html",
                      [("Retry-After", when)])
        elif act.startswith("429ra"):
            self.send(429, "<html><body><h1>429 Too Many Requests</h1>\n</body></html>", "text/html",
                      [("Retry-After", act[5:] or "1")])
        elif act in ("500", "503"):
            self.send(int(act), json.dumps({"status": "error", "message-type": "exception",
                                            "message": {"name": "fake"}}))
        elif act == "504":
            self.send(504, "<html><head><title>504 Gateway Time-out</title></head><body>"
                      "<center><h1>504 Gateway Time-out</h1></center></body></html>", "text/html")
        elif act.startswith("hang"):
            # the client gives up on it: it no longer counts as in flight
            with self.server.state.lock:
                self.server.state.inflight -= 1
                self.counted = False
            time.sleep(float(act[4:] or "5"))
            self.close_connection = True
        elif act.startswith("slow"):
            return False if not self.slow(float(act[4:] or "1")) else True
        elif act == "trunc":
            body = b'{"status":"ok","message-type":"work","message":{"DOI":"10.1/trunc","title":["Trunc'
            self.send(200, body, length=len(body) * 4)
            self.close_connection = True
        elif act == "badjson":
            self.send(200, b'{"status":"ok","message-type":"work","message":{"DOI": oops')
        elif act == "huge":
            self.send(200, b'{"pad":"' + b"x" * (17 << 20) + b'"}')
        elif act == "close":
            self.close_connection = True
            with self.server.state.lock:
                self.server.state.inflight -= 1
                self.counted = False
        elif act.isdigit():
            self.send(int(act), json.dumps({"status": "failed", "message-type": "validation-failure",
                                            "message": [{"type": "fake", "message": "fake %s" % act}]}))
        elif act.startswith("redirect:"):
            self.send(301, b"", "text/plain", [("Location", act[9:])])
        elif act.startswith("as:"):
            # 200 with the record of another DOI (issue 20 finding 11)
            m = self.server.fixtures.works.get(act[3:].lower())
            if m is None:
                return False
            self.send(200, json.dumps({"status": "ok", "message-type": "work",
                                       "message-version": "1.0.0", "message": m}))
        elif act == "portal":
            self.send(200, "<html><body><h1>Sign in to the Wi-Fi</h1></body></html>", "text/html")
        elif act == "failedjson":
            self.send(200, json.dumps({"status": "failed"}))
        else:
            return False
        return True

    def slow(self, secs):
        self.drip = secs
        orig = self.send

        def dripping(status, body, ctype="application/json", extra=(), length=None, drip=0.0):
            orig(status, body, ctype, extra, length, secs)
        self.send = dripping
        return False    # serve normally, but slowly


def blackhole():
    """A listening socket whose accept queue is full: connections time out."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    fillers = []
    for _ in range(4):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(s.getsockname())
        except (BlockingIOError, OSError):
            pass
        fillers.append(c)
    return s, fillers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--rate", type=int, default=50)
    ap.add_argument("--conc", type=int, default=1)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--tolerance", type=float, default=0.02,
                    help="seconds of slack in the 1 s rate window")
    ap.add_argument("--idle", type=float, default=600.0,
                    help="exit after this many seconds without requests")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.fixtures = Fixtures([args.root] + args.extra)
    srv.state = State(args)
    hole, fillers = blackhole()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (srv.server_address[1], hole.getsockname()[1]))
    os.rename(tmp, args.port_file)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        while time.monotonic() - srv.state.last < args.idle:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
