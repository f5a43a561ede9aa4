#!/bin/sh
# pandoc reads cvbib's CSL-YAML as it reads cvbib's CSL-JSON, over every INPUT
# of the CSL test suite (see tests/helper/yaml_pandoc.py).  Needs pandoc
# (tests/deps/yaml.debian); the floor is in tests/suites/yaml-pandoc.floor.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$top/tests/helper/yaml_pandoc.py" "$top/cvbib" \
	"$top/../shared/csl-test-suite/processor-tests/humans" \
	"$(cat "$top/tests/suites/yaml-pandoc.floor")"
