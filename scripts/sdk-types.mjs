// Generates pkg/sdk-types.d.ts: the wire types of the Messages, Batches, Models and Files APIs
// taken from SDK 1.15's own declarations (the pinned devDependency @anthropic-ai/sdk), so that
// the package's types are the SDK's and cannot drift from them. Every interface, type alias and
// type namespace of the files below is kept with its doc comment, and so is every declaration
// of the SDK they reach; references through the SDK's module aliases (`MessagesAPI.Message`,
// `Shared.ErrorObject`) become `Self.` references to this one file. The SDK's classes (resources, errors, pages) are
// not taken: the package declares its own in index.d.ts, and the few names the wire types use
// from them come from there (IMPORTED). A reference the script cannot resolve stops it.
//
// Run by scripts/build-pkg.sh: node scripts/sdk-types.mjs wire pkg/sdk-types.d.ts, and beta
// pkg/sdk-beta-types.d.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const sdkRoot = join(dirname(require.resolve('@anthropic-ai/sdk')), '.');
const { version } = JSON.parse(readFileSync(join(sdkRoot, 'package.json'), 'utf8'));

/** The files whose every type is taken, per output: the plain APIs', and the beta ones' (whose
 * names overlap the plain ones', `MessageCreateParams`: index.d.ts reads them as `Beta.*`). */
const GROUPS = {
  wire: ['resources/messages/messages.d.ts', 'resources/messages/batches.d.ts', 'resources/models.d.ts', 'resources/files.d.ts', 'lib/parser.d.ts'],
  beta: ['resources/beta/messages/messages.d.ts', 'resources/beta/messages/batches.d.ts', 'resources/beta/models.d.ts', 'resources/beta/files.d.ts'],
};
const [group, target] = process.argv.slice(2);
const ROOTS = GROUPS[group];
if (!ROOTS || !target) throw new Error('usage: node scripts/sdk-types.mjs wire|beta OUTPUT.d.ts');
const self = `./${target.split('/').at(-1).replace(/\.d\.ts$/, '.js')}`;

/** Names the wire types use that are the package's own (declared in index.d.ts). */
const IMPORTED = new Set(['Uploadable']);

/** Per file: its declarations by name, and what its imports name (alias or name → file, name). */
const files = new Map();

function load(path) {
  if (files.has(path)) return files.get(path);
  const text = readFileSync(join(sdkRoot, path), 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const file = { path, source, declarations: new Map(), classes: new Set(), reexporting: new Set(), aliases: new Map(), named: new Map() };
  files.set(path, file);
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const target = join(dirname(path), statement.moduleSpecifier.text).replace(/\.js$/, '.d.ts');
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) file.aliases.set(bindings.name.text, target);
      else if (bindings) for (const element of bindings.elements) file.named.set(element.name.text, [target, (element.propertyName ?? element.name).text]);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      file.classes.add(statement.name.text);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement)) {
      const name = statement.name.text;
      // A namespace that only re-exports a class's types (`namespace Messages { export { … } }`):
      // `Messages.UserLocation` is the file's own `UserLocation`.
      if (ts.isModuleDeclaration(statement) && file.classes.has(name)) {
        file.reexporting.add(name);
        continue;
      }
      if (!file.declarations.has(name)) file.declarations.set(name, []);
      file.declarations.get(name).push(statement);
    }
  }
  return file;
}

/** A reference to one of the SDK's classes: the declaration that makes it is left out. */
const CLASS = Symbol('class');

/** Where the name `name` used in `file` is declared: [file, name], null for one of IMPORTED,
 * CLASS for an SDK class, undefined for a type parameter or a global. */
function resolve(file, name, qualifier) {
  if (qualifier) {
    const target = file.aliases.get(qualifier);
    if (target) return resolve(load(target), name);
    if (file.reexporting.has(qualifier)) return resolve(file, name);
    return resolve(file, qualifier); // `Namespace.Member` of a local or imported namespace
  }
  if (file.declarations.has(name)) return [file, name];
  if (IMPORTED.has(name)) return null;
  const imported = file.named.get(name);
  if (imported) return resolve(load(imported[0]), imported[1]);
  if (file.classes.has(name)) return CLASS;
  return undefined; // a type parameter or a global (Array, Record, …)
}

const kept = new Map(); // name → { file, nodes }
const queue = [];

function keep(file, name) {
  const existing = kept.get(name);
  if (existing) {
    if (existing.file !== file) throw new Error(`${name} is declared in ${existing.file.path} and ${file.path}`);
    return;
  }
  kept.set(name, { file, nodes: file.declarations.get(name) });
  queue.push(name);
}

for (const path of ROOTS) {
  const file = load(path);
  for (const name of file.declarations.keys()) keep(file, name);
}

const imported = new Set();
const dropped = new Set();
while (queue.length) {
  const declared = queue.pop();
  const { file, nodes } = kept.get(declared);
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const reference = node.typeName ?? node.expression ?? node.exprName;
      const [qualifier, name] = ts.isIdentifier(reference)
        ? [undefined, reference.text]
        : [reference.left.getText(), reference.right.text];
      const found = resolve(file, name, qualifier);
      if (found === null) imported.add(name);
      else if (found === CLASS) dropped.add(declared);
      else if (found) keep(...found);
    }
    ts.forEachChild(node, visit);
  };
  nodes.forEach(visit);
}

for (const name of dropped) kept.delete(name);

/** A declaration's text, doc comment included, its module aliases made `Self.` (this file
 * itself: inside a namespace, `Self.UserLocation` is the top-level one, as the alias was). */
function textOf({ file, nodes }) {
  const aliases = [...file.aliases.keys(), ...file.reexporting];
  const alias = aliases.length ? new RegExp(`\\b(?:${aliases.join('|')})\\.`, 'g') : null;
  return nodes
    .map((node) => {
      const text = node.getFullText().replace(/^\s*\n/, '');
      return alias ? text.replace(alias, 'Self.') : text;
    })
    .join('\n');
}

const byFile = [...kept.values()].sort((a, b) => a.file.path.localeCompare(b.file.path));
const out = [
  `// Generated by scripts/sdk-types.mjs from @anthropic-ai/sdk ${version}'s declarations (MIT,`,
  '// Copyright Anthropic, PBC): the wire types, unchanged but for the module aliases. Do not edit.',
  `import type * as Self from '${self}';`,
  imported.size ? `import type { ${[...imported].sort().join(', ')} } from './index.js';` : '',
  '',
];
let current = null;
for (const entry of byFile) {
  if (entry.file !== current) {
    current = entry.file;
    out.push(`// --- ${relative('.', current.path)}`);
  }
  out.push(textOf(entry));
}
writeFileSync(target, out.join('\n') + '\n');
console.log(`${target}: ${kept.size} types from @anthropic-ai/sdk ${version} (${files.size} files read; left out, as they name SDK classes: ${[...dropped].sort().join(', ')})`);
