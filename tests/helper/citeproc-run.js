#!/usr/bin/env node
// tests/helper/citeproc-run.js - format a CSL-JSON file with citeproc-js, the
// reference CSL processor, so that cvbib's output can be compared with it.
//
//   node citeproc-run.js --style FILE.csl [--locales DIR] [--lang xx-XX]
//        [--format text|html] [--json] [--repeat N] [--citations] ITEMS.json
//
// Prints the bibliography of every item in ITEMS.json (in the file's order,
// which is the citation order for numeric styles): with --format text one
// entry per line; with --format html citeproc-js's own markup.  --json prints
// [{"id": ..., "entry": ...}, ...] instead, one object per entry.  --repeat N
// formats the whole file N times (for timing; the last run is printed).
// --citations prints citations instead: one cluster per item, in the file's
// order, each citing that item alone, one line each (as csl-format -c).
// Locales are read from DIR (default: ../shared/csl-locales beside the repo),
// falling back to en-US.  Needs the npm package "citeproc" (tests/deps.sh
// installs it into build/npm).
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..');
const CSL = require('./citeproc-load');

function usage(msg) {
	if (msg) process.stderr.write('citeproc-run: ' + msg + '\n');
	process.stderr.write('usage: citeproc-run.js --style FILE.csl [--locales DIR] [--lang xx-XX] [--format text|html] [--json] ITEMS.json\n');
	process.exit(2);
}

const opt = { locales: path.join(top, '..', 'shared', 'csl-locales'), format: 'text', json: false, repeat: 1 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	const next = () => { if (i + 1 >= argv.length) usage(a + ' needs a value'); return argv[++i]; };
	if (a === '--style') opt.style = next();
	else if (a === '--locales') opt.locales = next();
	else if (a === '--lang') opt.lang = next();
	else if (a === '--format') opt.format = next();
	else if (a === '--json') opt.json = true;
	else if (a === '--repeat') opt.repeat = parseInt(next(), 10) || 1;
	else if (a === '--citations') opt.citations = true;
	else if (a.startsWith('-')) usage('unknown option ' + a);
	else opt.items = a;
}
if (!opt.style || !opt.items) usage();
if (opt.format !== 'text' && opt.format !== 'html') usage('--format must be text or html');

const styleXml = fs.readFileSync(opt.style, 'utf8');
const items = JSON.parse(fs.readFileSync(opt.items, 'utf8'));
const byId = new Map();
for (const it of items) byId.set(String(it.id), it);
const ids = items.map((it) => String(it.id));

const sys = {
	retrieveItem: (id) => byId.get(String(id)),
	retrieveLocale: (lang) => {
		for (const l of [lang, 'en-US']) {
			const f = path.join(opt.locales, 'locales-' + l + '.xml');
			if (fs.existsSync(f)) return fs.readFileSync(f, 'utf8');
		}
		return false;
	},
};

if (opt.citations) {
	const engine = new CSL.Engine(sys, styleXml, opt.lang, opt.lang ? true : undefined);
	engine.setOutputFormat(opt.format);
	engine.updateItems(ids);
	const lines = [];
	const pre = [];
	ids.forEach((id, i) => {
		const cit = { citationID: 'c' + i, citationItems: [{ id: id }], properties: { noteIndex: i + 1 } };
		const res = engine.processCitationCluster(cit, pre, []);
		pre.push(['c' + i, i + 1]);
		// the new cluster, and any earlier one that disambiguation changed
		for (const [idx, str] of res[1]) lines[idx] = str;
	});
	process.stdout.write(lines.map((l) => (l || '').replace(/\s*\n\s*/g, ' ').trim()).join('\n') + '\n');
	process.exit(0);
}

let bib;
for (let r = 0; r < opt.repeat; r++) {
	const engine = new CSL.Engine(sys, styleXml, opt.lang, opt.lang ? true : undefined);
	engine.setOutputFormat(opt.format);
	engine.updateItems(ids);
	bib = engine.makeBibliography();
}
if (!bib) {
	process.stderr.write('citeproc-run: the style has no bibliography\n');
	process.exit(1);
}
const [params, entries] = bib;

function flat(s) {
	return s.replace(/\s*\n\s*/g, ' ').trim();
}

if (opt.json) {
	const out = entries.map((e, i) => ({ id: String(params.entry_ids[i][0]), entry: flat(e) }));
	process.stdout.write(JSON.stringify(out, null, 1) + '\n');
} else if (opt.format === 'html') {
	process.stdout.write(params.bibstart + entries.join('') + params.bibend);
} else {
	process.stdout.write(entries.map(flat).join('\n') + '\n');
}
