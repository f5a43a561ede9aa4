// tests/helper/typst-compile.js MAIN.typ OUT.pdf: compile a Typst document
// with the Typst compiler that @myriaddreamin/typst-ts-node-compiler ships
// (installed into build/npm by tests/deps.sh).  Errors and warnings are
// printed as file:line:col: message; the exit status is 1 on an error.
const path = require('path');
const fs = require('fs');
const top = path.resolve(__dirname, '../..');
const { NodeCompiler } = require(path.join(top, 'build/npm/node_modules/@myriaddreamin/typst-ts-node-compiler'));
const main = path.resolve(process.argv[2]);
const out = process.argv[3];
const dir = path.dirname(main);
// no system fonts are needed: the compiler embeds its own
const c = NodeCompiler.create({ workspace: dir });
const r = c.compile({ mainFilePath: main });
function show(e, what) {
	if (!e) return;
	for (const d of e.shortDiagnostics) {
		const where = d.path ? `${d.path}:${d.range || ''}` : '';
		console.error(`${what}: ${where} ${d.message}`);
	}
}
show(r.takeWarnings(), 'warning');
if (r.hasError()) {
	show(r.takeError(), 'error');
	process.exit(1);
}
fs.writeFileSync(out, c.pdf(r.result));
