#!/bin/sh
# The readers of src/formats/ over the real exported files in ../shared: round trips through
# CSL-JSON, BibTeX and RIS (tests/helper/formats_roundtrip.py).
top=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$top/tests/helper/formats_roundtrip.py" "$top/cvbib" "$top/../shared"
