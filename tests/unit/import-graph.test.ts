import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FEATURE_DEPENDENCIES } from '../../eslint.config.js';

/**
 * ESLint's boundaries rules check each import on its own; a cycle needs the whole graph.
 * This builds it with the TypeScript compiler (the tsconfig's aliases included) for app/ and
 * models/ (models import pure feature files, features import models).
 */
const root = path.resolve(import.meta.dirname, '../..');
const features = path.join(root, 'app/features');

interface Edge {
  to: string;
  /** `import type`, or only `type` specifiers: erased at build time, no edge at run time. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function specifiers(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypeSpecifiers =
        !!clause && !clause.name && !!bindings && ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || onlyTypeSpecifiers });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const onlyTypeSpecifiers =
        !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || onlyTypeSpecifiers });
    } else if (
      ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function buildGraph(): Map<string, Edge[]> {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = [...sourceFiles(path.join(root, 'app')), ...sourceFiles(path.join(root, 'models'))];
  const inGraph = new Set(files);
  const graph = new Map<string, Edge[]>();
  for (const file of files) {
    const edges: Edge[] = [];
    for (const { specifier, typeOnly } of specifiers(file)) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      if (resolved && inGraph.has(resolved.resolvedFileName)) edges.push({ to: resolved.resolvedFileName, typeOnly });
    }
    graph.set(file, edges);
  }
  return graph;
}

/** The strongly connected components with more than one node (Tarjan): each holds a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}

const featureOf = (file: string): string | undefined =>
  file.startsWith(features + path.sep) ? path.relative(features, file).split(path.sep)[0] : undefined;

function describeCycle(component: string[], graph: Map<string, string[]>): string {
  const members = new Set(component);
  const arrows = component.flatMap((from) =>
    (graph.get(from) ?? []).filter((to) => members.has(to)).map((to) => `${from} -> ${to}`),
  );
  return arrows.map((arrow) => arrow.replaceAll(`${root}${path.sep}`, '')).join('\n');
}

describe('the import graph of app/ and models/', () => {
  const graph = buildGraph();

  it('has no cycle between feature folders (type imports count: they are knowledge too)', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, edges] of graph) {
      const from = featureOf(file);
      if (!from) continue;
      for (const { to } of edges) {
        const target = featureOf(to);
        if (target && target !== from) folders.set(from, (folders.get(from) ?? new Set()).add(target));
      }
    }
    const folderGraph = new Map([...folders].map(([from, targets]) => [from, [...targets]]));
    expect(cycles(folderGraph).map((component) => describeCycle(component, folderGraph))).toEqual([]);
  });

  it('has no cycle between files at run time (type-only imports are erased by the build)', () => {
    const runtime = new Map([...graph].map(([file, edges]) => [file, edges.filter((edge) => !edge.typeOnly).map((edge) => edge.to)]));
    expect(cycles(runtime).map((component) => describeCycle(component, runtime))).toEqual([]);
  });

  it('places every feature folder in the lifecycle order, each after the features it may import', () => {
    const folders = readdirSync(features, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const order = Object.keys(FEATURE_DEPENDENCIES);
    expect(folders.filter((folder) => !order.includes(folder)), 'feature folders missing from FEATURE_DEPENDENCIES in eslint.config.js').toEqual([]);
    const misplaced = Object.entries(FEATURE_DEPENDENCIES).flatMap(([name, earlier]: [string, string[]]) =>
      earlier.filter((dependency) => !order.slice(0, order.indexOf(name)).includes(dependency)).map((dependency) => `${name} -> ${dependency}`),
    );
    expect(misplaced, 'a feature may only depend on features listed before it').toEqual([]);
  });

  it('reports a cycle when there is one (the check can fail)', () => {
    const madeUp = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(cycles(madeUp)).toEqual([['a', 'b', 'c']]);
    expect(describeCycle(['a', 'b', 'c'], madeUp)).toBe('a -> b\nb -> c\nc -> a');
  });

  it('sees the imports it checks (the graph is not empty by mistake)', () => {
    const proposals = path.join(features, 'proposals/drafts.server.ts');
    expect(graph.get(proposals)?.map((edge) => path.relative(root, edge.to))).toContain('app/features/competitions/phases.ts');
    expect(graph.get(path.join(root, 'models/proposal.ts'))?.map((edge) => path.relative(root, edge.to))).toContain(
      'app/features/proposals/proposals.ts',
    );
  });
});
