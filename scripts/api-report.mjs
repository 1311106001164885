// The public surface's report (docs/api.md): for each entry of package.json `exports`, every
// name it exports with its declaration as the compiled declaration files (dist/) have it, then
// every declaration of the package those reach (the types of parameters, fields, results...),
// without comments. The reports are committed under docs/api/; a test fails when the surface
// changes and they were not regenerated.
//
//   npm run api                      regenerate docs/api/*.api.d.ts (builds dist/ when stale)
//   node scripts/api-report.mjs --check   exit 1 when a committed report differs (what the test runs)

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { build, distIsStale } from './build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
export const REPORT_DIR = join(ROOT, 'docs', 'api');

/** The entries of package.json `exports` that have declarations: subpath → dist .d.ts. */
export function entries() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== 'object' || target === null || typeof target.types !== 'string') continue;
    const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    out.push({ name, file: join(ROOT, target.types), report: join(REPORT_DIR, `${name.replace('/', '-')}.api.d.ts`) });
  }
  return out;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function isOurs(decl) {
  const file = decl.getSourceFile().fileName;
  return file.startsWith(DIST + sep) || file.startsWith(`${DIST}/`);
}

function where(decl) {
  return relative(DIST, decl.getSourceFile().fileName).split(sep).join('/');
}

function print(decl) {
  let node = decl;
  if (ts.isVariableDeclaration(decl) && decl.parent && ts.isVariableDeclarationList(decl.parent) && decl.parent.parent)
    node = decl.parent.parent;
  const text = printer.printNode(ts.EmitHint.Unspecified, node, decl.getSourceFile());
  return text.replace(/^export declare /gm, 'declare ').replace(/^export /gm, '');
}

/** The report of one entry. */
export function report(program, entry) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry.file);
  if (source === undefined) throw new Error(`${entry.file} is not built`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exported = checker
    .getExportsOfModule(moduleSymbol)
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name));
  const resolve = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const seen = new Set();
  const queue = [];
  const visitRefs = (node) => {
    const refs = [];
    const walk = (n) => {
      let target;
      if (ts.isTypeReferenceNode(n)) target = n.typeName;
      else if (ts.isExpressionWithTypeArguments(n)) target = n.expression;
      else if (ts.isTypeQueryNode(n)) target = n.exprName;
      else if (ts.isImportTypeNode(n) && n.qualifier) target = n.qualifier;
      if (target !== undefined) {
        const s = checker.getSymbolAtLocation(ts.isQualifiedName(target) ? target.right : target);
        if (s !== undefined) refs.push(resolve(s));
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
    for (const s of refs) {
      if (seen.has(s) || !(s.declarations ?? []).some(isOurs)) continue;
      seen.add(s);
      queue.push(s);
    }
  };
  const lines = [
    `// The public surface of ${entry.name} (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.`,
    '',
  ];
  for (const e of exported) {
    const target = resolve(e);
    seen.add(target);
    const decls = (target.declarations ?? []).filter((d) => !ts.isSourceFile(d));
    lines.push(
      `// ${e.name}${target.name !== e.name && target.name !== 'default' ? ` (${target.name})` : ''}${decls[0] !== undefined && isOurs(decls[0]) ? ` from ${where(decls[0])}` : ''}`,
    );
    for (const d of decls) {
      if (!isOurs(d)) {
        lines.push(`//   declared in ${d.getSourceFile().fileName.replace(/^.*node_modules\//, '')}`);
        continue;
      }
      lines.push(print(d));
      visitRefs(d);
    }
    lines.push('');
  }
  const referenced = [];
  while (queue.length > 0) {
    const s = queue.shift();
    const decls = (s.declarations ?? []).filter(isOurs);
    const text = [`// ${s.name} from ${where(decls[0])} (not exported here)`];
    for (const d of decls) {
      text.push(print(d));
      visitRefs(d);
    }
    referenced.push(text.join('\n'));
  }
  referenced.sort();
  if (referenced.length > 0)
    lines.push('// --- reached from the exports above ---', '', ...referenced.flatMap((t) => [t, '']));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Every entry's report, from dist/ (built first when stale). */
export function reports() {
  if (distIsStale()) build();
  const list = entries();
  const program = ts.createProgram(
    list.map((e) => e.file),
    {
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
    },
  );
  return list.map((e) => ({ ...e, text: report(program, e) }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let differ = 0;
  for (const r of reports()) {
    const old = existsSync(r.report) ? readFileSync(r.report, 'utf8') : null;
    if (old === r.text) continue;
    if (check) {
      differ += 1;
      process.stderr.write(
        `${relative(ROOT, r.report)}: the public surface of ${r.name} changed; run npm run api and commit the report\n`,
      );
    } else {
      mkdirSync(dirname(r.report), { recursive: true });
      writeFileSync(r.report, r.text);
      process.stderr.write(`wrote ${relative(ROOT, r.report)}\n`);
    }
  }
  process.exitCode = differ > 0 ? 1 : 0;
}
