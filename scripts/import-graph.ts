// Prints the import graph between production folders and the imports that break the layering:
//   npx tsx scripts/import-graph.ts            edges "from -> to (imports)" and the violations
//   npx tsx scripts/import-graph.ts --check    exits 1 when a layering rule is broken
//   Tests import importGraph() to hold a rule (test/unit/architecture/import-graph.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOTS = ['functions', 'shared', 'infra', 'bench', 'scripts'];

const sourceFiles = (root: string, dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(root, path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

// One folder per node: functions/<name> collapse to "functions", domain subfolders stay apart.
const nodeOf = (file: string): string => {
  const dir = dirname(file);
  if (dir.startsWith('functions/')) return 'functions';
  if (dir.startsWith('infra/local')) return 'infra/local';
  if (dir.startsWith('infra/')) return 'infra';
  return dir;
};

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const resolveTarget = (file: string, spec: string): string | undefined => {
  if (spec.startsWith('#')) {
    const [alias, ...rest] = spec.slice(1).split('/');
    return normalize(join(alias ?? '', ...rest));
  }
  if (spec.startsWith('.')) return normalize(join(dirname(file), spec));
  return undefined;
};

interface Rule {
  name: string;
  broken: (from: string, spec: string, target: string | undefined) => boolean;
}

const above = (node: string, ...layers: string[]) =>
  layers.some((l) => node === l || node.startsWith(`${l}/`));
const RULES: Rule[] = [
  {
    name: 'domain imports only the domain, countries and data',
    broken: (from, _spec, target) =>
      above(from, 'shared/domain') &&
      target !== undefined &&
      !above(target, 'shared/domain', 'shared/countries', 'shared/data', 'shared/lib'),
  },
  {
    name: 'use cases import no adapter',
    broken: (from, _spec, target) =>
      above(from, 'shared/use-cases') && target?.startsWith('shared/adapters') === true,
  },
  {
    name: 'use cases import nothing from the HTTP edge',
    broken: (from, _spec, target) =>
      above(from, 'shared/use-cases') && target?.startsWith('shared/http') === true,
  },
  {
    name: 'no AWS SDK above shared/adapters',
    broken: (from, spec) =>
      above(
        from,
        'shared/domain',
        'shared/use-cases',
        'shared/http',
        'shared/sqs',
        'functions',
        'shared/lib',
      ) && /^@aws-sdk\/|^@smithy\//.test(spec),
  },
  {
    name: 'shared code imports nothing from infra',
    broken: (from, _spec, target) =>
      above(from, 'shared', 'functions') && target?.startsWith('infra') === true,
  },
  {
    name: 'no import of SDK internals',
    broken: (_from, spec) => /^@aws-sdk\/[^/]+\/dist-|^@smithy\/core\//.test(spec),
  },
];

/** The rules' names, as violations name them. */
export const ruleNames = (): string[] => RULES.map((rule) => rule.name);

export interface Violation {
  rule: string;
  file: string;
  spec: string;
}

/** The folder edges (with how many imports each) and every import that breaks a layering rule. */
export const importGraph = (root: string = process.cwd()) => {
  const edges = new Map<string, number>();
  const violations: Violation[] = [];
  for (const file of ROOTS.flatMap((dir) => sourceFiles(root, dir))) {
    const from = nodeOf(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (spec === undefined) continue;
      const target = resolveTarget(file, spec);
      for (const rule of RULES) {
        if (rule.broken(from, spec, target)) violations.push({ rule: rule.name, file, spec });
      }
      if (target === undefined) continue;
      const to = nodeOf(relative(root, join(root, target)));
      if (to === from) continue;
      const key = `${from} -> ${to}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  return { edges, violations };
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { edges, violations } = importGraph();
  for (const [edge, count] of [...edges].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${edge} (${count})`);
  console.log(`\n${edges.size} folder edges, ${violations.length} layering violations`);
  for (const { rule, file, spec } of violations) console.log(`  ${rule}: ${file} imports ${spec}`);
  if (process.argv.includes('--check') && violations.length > 0) process.exitCode = 1;
}
