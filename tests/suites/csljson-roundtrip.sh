#!/bin/sh
# CSL-JSON round trip and schema validation over every INPUT of the CSL test suite.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$top/tests/helper/csljson_roundtrip.py" "$top/cvbib" \
	"$top/../shared/csl-test-suite/processor-tests/humans" \
	"$top/../shared/csl-schema/schemas/input/csl-data.json"
