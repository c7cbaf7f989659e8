// Enforces Pulse's import rules (docs/ARCHITECTURE.md, "what may import what") on resolved paths,
// so `../../server/x` and `./x` are judged by where they land, not by how they are spelt.
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(import.meta.dirname, '../..');
const builtins = new Set(builtinModules);

/** Packages core may use: pure libraries with no I/O. */
const corePackages = new Set(['decimal.js']);
/** Packages contracts may use. */
const contractPackages = new Set(['zod']);

function areaOf(file) {
  const rel = path.relative(root, file).split(path.sep);
  const [top, second] = rel;
  if (top === 'server' && second === 'adapters') return 'server/adapters';
  return top ?? '';
}

function isTestFile(file) {
  return /\.(test|contract|bench)\.tsx?$/.test(file) || file.includes(`${path.sep}testing${path.sep}`);
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function check(file, spec) {
  const from = areaOf(file);
  const test = isTestFile(file);
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    const isBuiltin = spec.startsWith('node:') || builtins.has(packageName(spec));
    if (from === 'core' && !test) {
      if (isBuiltin) return `core is pure: it may not import the Node built-in '${spec}'`;
      if (!corePackages.has(packageName(spec))) return `core may not import the package '${spec}'`;
    }
    if (from === 'contracts' && !test && !contractPackages.has(packageName(spec)))
      return `contracts may import only zod, not '${spec}'`;
    const webBuildTooling = /^web[/\\](vite\.config\.ts|build[/\\])/.test(path.relative(root, file));
    if (from === 'web' && isBuiltin && !webBuildTooling)
      return `web runs in the browser: no Node built-in '${spec}'`;
    return null;
  }
  const target = path.resolve(path.dirname(file), spec);
  const to = areaOf(target);
  const toRel = path.relative(root, target);
  if (from === 'core' && to !== 'core') return `core may import only core, not ${toRel}`;
  if (from === 'contracts' && to !== 'contracts') return `contracts may import only contracts, not ${toRel}`;
  if ((to === 'server' || to === 'server/adapters') && from !== 'server' && from !== 'server/adapters') {
    const cliEntry = from === 'cli' && /^server[/\\]main\.(js|ts)$/.test(toRel);
    // Benchmarks measure server internals (the gateway, a route) in-process; they ship nothing.
    const benchmark = from === 'bench' && to === 'server';
    if (!cliEntry && !benchmark)
      return `nothing outside server/ imports server/ (cli may import server/main.ts only), not ${toRel}`;
  }
  if (to === 'server/adapters' && from === 'server') {
    const rel = path.relative(root, file);
    if (rel !== path.join('server', 'main.ts') && !test)
      return `only server/main.ts imports server/adapters/ (got ${toRel}); take it from buildApp(deps)`;
  }
  if (to === 'web' && from !== 'web') return `nothing outside web/ imports web/, not ${toRel}`;
  if (from === 'web' && to !== 'web') {
    const okContracts = to === 'contracts';
    const okCore = to === 'core' && /^core[/\\][a-z-]+[/\\]index\.(js|ts)$/.test(toRel);
    if (!okContracts && !okCore)
      return `web may import contracts and core/<area>/index.ts only, not ${toRel}`;
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: { type: 'problem', docs: { description: 'Pulse layer boundaries' }, schema: [] },
  create(context) {
    const file = context.filename;
    const report = (node, source) => {
      if (typeof source !== 'string') return;
      const message = check(file, source);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => report(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && report(node, node.source.value),
      ExportAllDeclaration: (node) => report(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && report(node, node.source.value),
    };
  },
};

export const boundaries = { rules: { imports: rule } };
