#!/usr/bin/env node
// tests/helper/citeproc-fixture.js - run one fixture of the CSL test suite
// (../shared/csl-test-suite/processor-tests/humans/NAME.txt, or tests/csl/)
// through citeproc-js, the reference processor, to see what it prints for it:
//
//   node tests/helper/citeproc-fixture.js [--locales DIR] FIXTURE.txt
//
// Citation mode: with CITATIONS, each cluster goes through
// processCitationCluster and the last text of every citation is printed as
// "[i] text"; otherwise all items make one cluster.  Bibliography mode: the
// bibliography of all items (BIBENTRIES and BIBSECTION are not read).
// Locales default to the suite's (../shared/csl-test-suite/locales).  Needs
// the npm package "citeproc" (tests/deps.sh installs it into build/npm).
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
const CSL = require('./citeproc-load');
let locales = path.join(top, '..', 'shared', 'csl-test-suite', 'locales');
const args = process.argv.slice(2);
if (args[0] === '--locales') { locales = args[1]; args.splice(0, 2); }
if (args.length !== 1) {
	process.stderr.write('usage: citeproc-fixture.js [--locales DIR] FIXTURE.txt\n');
	process.exit(2);
}
const txt = fs.readFileSync(args[0], 'utf8');

// the text of section NAME (">>== NAME ==>>" ... "<<== NAME ==<<"), or null
function section(name) {
	const m = txt.match(new RegExp('>>=+ ' + name + ' =+>>\\r?\\n([\\s\\S]*?)\\r?\\n<<=+ ' + name + ' =+<<'));
	return m ? m[1] : null;
}

const mode = (section('MODE') || '').trim();
const items = JSON.parse(section('INPUT') || '[]');
const byId = {};
items.forEach((it, i) => { if (it.id === undefined) it.id = 'item-' + (i + 1); byId[it.id] = it; });
const sys = {
	retrieveLocale: (lang) => {
		try { return fs.readFileSync(path.join(locales, 'locales-' + lang + '.xml'), 'utf8'); } catch (e) { return null; }
	},
	retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, section('CSL') || '');
const citations = section('CITATIONS');
if (mode === 'citation' && citations) {
	const last = {};
	JSON.parse(citations).forEach((c) => {
		const r = engine.processCitationCluster(c[0], c[1], c[2]);
		r[1].forEach((x) => { last[x[0]] = x[1]; });
	});
	Object.keys(last).sort((a, b) => a - b).forEach((k) => console.log('[' + k + '] ' + last[k]));
} else if (mode === 'citation') {
	engine.updateItems(items.map((it) => it.id));
	console.log(engine.makeCitationCluster(items.map((it) => ({ id: it.id }))));
} else {
	engine.updateItems(items.map((it) => it.id));
	const bib = engine.makeBibliography();
	process.stdout.write(bib ? (bib[0].bibstart + bib[1].join('') + bib[0].bibend).replace(/\n?$/, '\n') : '(no bibliography)\n');
}
