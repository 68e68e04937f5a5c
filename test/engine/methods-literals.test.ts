// Each scoring-method name is written, as a string literal, in exactly one hand-written source file under src/: its
// module in src/engine/methods/ (the registry entry). Schemas and generated code aside. Literals are found with the
// TypeScript parser (string and no-substitution template literals, in code and in types; comments do not count).
//
// Three method names are also words of other closed catalogues the schemas list: `equal` (an operator), `checklist`
// (a fact type) and `qualitative` (a direction of a unit-written indicator). Those may appear elsewhere as those
// words, but only in files that do not consult the method registry and never in a method position (compared with
// or assigned to `.method`, or a `case` of a switch over `.method`).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SCORING_METHODS } from '../../src/engine/methods/registry.js';
import { ROOT, readJson } from '../support.js';

const GENERATED = ['src/validation/generated/', 'src/platform/generated/'];
const METHODS_DIR = 'src/engine/methods/';

interface SourceFile {
  readonly path: string;
  readonly text: string;
}

function handWrittenSources(dir = join(ROOT, 'src')): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    const path = relative(ROOT, full).split('\\').join('/');
    if (entry.isDirectory()) return GENERATED.some((g) => `${path}/`.startsWith(g)) ? [] : handWrittenSources(full);
    return path.endsWith('.ts') ? [{ path, text: readFileSync(full, 'utf8') }] : [];
  });
}

interface Literal {
  readonly value: string;
  readonly line: number;
  /** compared with, assigned to or switched on as `.method` */
  readonly methodPosition: boolean;
}

const isMethodAccess = (n: ts.Node) => (ts.isPropertyAccessExpression(n) && n.name.text === 'method') || (ts.isIdentifier(n) && n.text === 'method');
const isMethodName = (n: ts.PropertyName) => (ts.isIdentifier(n) || ts.isStringLiteral(n)) && n.text === 'method';

function methodPosition(node: ts.Node): boolean {
  let p = node.parent;
  if (ts.isLiteralTypeNode(p)) p = p.parent; // `method: 'x'` in a type
  if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p)) && isMethodName(p.name)) return true;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind)) {
    return isMethodAccess(p.left === node ? p.right : p.left);
  }
  if (ts.isCaseClause(p)) return isMethodAccess(p.parent.parent.expression);
  return false;
}

function literalsOf(file: SourceFile): { literals: Literal[]; consultsMethods: boolean } {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const literals: Literal[] = [];
  let consultsMethods = false;
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (/(^|\/)methods\//.test(node.moduleSpecifier.text)) consultsMethods = true;
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      literals.push({ value: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, methodPosition: methodPosition(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, consultsMethods };
}

/** Words the schemas list in any enum: a method name among them is a homonym of another catalogue's word. */
function schemaEnumWords(): Set<string> {
  const words = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'enum' && Array.isArray(v)) v.forEach((w) => typeof w === 'string' && words.add(w));
        walk(v);
      }
    }
  };
  for (const f of readdirSync(join(ROOT, 'schemas')).filter((f) => f.endsWith('.json'))) walk(readJson(`schemas/${f}`));
  return words;
}

/** Each method name → the files that write it as a literal, and every place a name is where it may not be. */
function literalReport(files: readonly SourceFile[], names: readonly string[], homonyms: ReadonlySet<string>) {
  const filesOf = new Map<string, string[]>(names.map((n) => [n, []]));
  const misplaced: string[] = [];
  const wanted = new Set(names);
  for (const file of files) {
    const { literals, consultsMethods } = literalsOf(file);
    const found = literals.filter((l) => wanted.has(l.value));
    for (const name of new Set(found.map((l) => l.value))) filesOf.get(name)!.push(file.path);
    if (file.path.startsWith(METHODS_DIR)) continue; // the method modules: one file per name is checked below
    for (const l of found) {
      const asOtherWord = homonyms.has(l.value) && !consultsMethods && !l.methodPosition;
      if (!asOtherWord) misplaced.push(`${file.path}:${l.line} '${l.value}'${l.methodPosition ? ' (as a method)' : ''}`);
    }
  }
  const inMethodsDir = new Map([...filesOf].map(([n, fs]) => [n, fs.filter((f) => f.startsWith(METHODS_DIR))]));
  return { filesOf, inMethodsDir, misplaced };
}

const names = [...SCORING_METHODS.keys()];
const homonyms = new Set(names.filter((n) => schemaEnumWords().has(n)));
const sources = handWrittenSources();

describe('each scoring-method name is written once, in its registry entry', () => {
  const { inMethodsDir, misplaced } = literalReport(sources, names, homonyms);

  it('scans the hand-written sources (and not the generated ones)', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.some((f) => f.path === 'src/engine/evaluate.ts')).toBe(true);
    expect(sources.some((f) => GENERATED.some((g) => f.path.startsWith(g)))).toBe(false);
    expect([...homonyms].sort()).toEqual(['checklist', 'equal', 'qualitative']);
  });

  it('appears as a literal in exactly one file of src/engine/methods/, and that file exports the registered method', async () => {
    for (const name of names) {
      const files = inMethodsDir.get(name)!;
      expect(files, name).toHaveLength(1);
      const module = (await import(join(ROOT, files[0]!))) as Record<string, unknown>;
      expect(Object.values(module).some((x) => x === SCORING_METHODS.get(name)), `${files[0]} exports the registered ${name}`).toBe(true);
    }
  });

  it('appears nowhere else under src/ (homonyms only as their own catalogue’s word, in files that do not consult the registry)', () => {
    expect(misplaced).toEqual([]);
  });

  it('the scan finds a method name written anywhere else, or a homonym used as a method', () => {
    const extra: SourceFile[] = [
      { path: 'src/engine/extra.ts', text: "export const isRate = (m: string) => m === 'thresholdRate'; // 'positive' in a comment is fine" },
      { path: 'src/engine/other.ts', text: "export function f(award: { method: string }) { switch (award.method) { case 'checklist': return 1; } return 0; }" },
      { path: 'src/engine/types.ts', text: "export type T = { method: 'equal' }; export const ok = (d: { type: string }) => d.type === 'checklist';" },
      { path: 'src/engine/consumer.ts', text: "import { methodOf } from './methods/registry.js'; export const k = (t: string) => t === 'qualitative';" },
      { path: 'src/engine/methods/copy.ts', text: "export const copy = { name: 'zero' };" },
    ];
    const report = literalReport([...sources, ...extra], names, homonyms);
    expect(report.misplaced).toEqual([
      "src/engine/extra.ts:1 'thresholdRate'",
      "src/engine/other.ts:1 'checklist' (as a method)",
      "src/engine/types.ts:1 'equal' (as a method)",
      "src/engine/consumer.ts:1 'qualitative'",
    ]);
    expect(report.inMethodsDir.get('zero')).toEqual(['src/engine/methods/zero.ts', 'src/engine/methods/copy.ts']);
  });
});

