// tests/helper/citeproc-load.js - citeproc-js, the reference CSL processor,
// for the helpers that run it (citeproc-run.js, citeproc-fixture.js): the
// npm package "citeproc" that tests/deps.sh installs into build/npm, else one
// node finds on its own path.
'use strict';
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
try {
	module.exports = require(path.join(top, 'build', 'npm', 'node_modules', 'citeproc'));
} catch (e) {
	module.exports = require('citeproc');
}
