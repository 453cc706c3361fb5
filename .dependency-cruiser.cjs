/**
 * Import rules for amari-ep, checked by dependency-cruiser.
 *
 *   npm run deps                          # the command line report
 *   npx vitest run test/layers.test.ts    # the same check, as part of npm test
 *
 * docs/layers.md says what lives in each layer and why.
 *
 * The layers of src/, lowest first. This list is the only place the order is
 * written down: every layer rule below is generated from it.
 *
 * - A module may import its own folder and any layer listed before its own.
 * - It may not import a layer listed after its own ("upward").
 * - Folders that share a line are siblings: they may not import each other,
 *   except where SIBLING_IMPORTS allows it.
 * - A name ending in .ts is a single file directly in src/ (the entry barrels);
 *   any other name is a folder of src/.
 */
const LAYERS = [
  ['config'],
  ['rng', 'numeric', 'model'],
  ['theory'],
  ['engine'],
  ['cpu', 'gpu'],
  ['estimators'],
  ['run'],
  ['figures'],
  ['io'],
  ['sweep'],
  ['report'],
  ['cli'],
  ['index.ts', 'node.ts'],
];

/** The only imports allowed between siblings (importer → what it may import). */
const SIBLING_IMPORTS = {
  model: ['numeric'],
  'node.ts': ['index.ts'],
};

/* ------------------------------------------------------------------------- */

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The path pattern of one layer member, relative to the repository root. */
const where = (name) => (name.endsWith('.ts') ? `^src/${escape(name)}$` : `^src/${escape(name)}/`);
const anyOf = (names) => names.map(where);
const describe = (names) => names.map((name) => (name.endsWith('.ts') ? `src/${name}` : `src/${name}/`)).join(', ');

const allMembers = LAYERS.flat();

const layerRules = LAYERS.flatMap((level, index) =>
  level.flatMap((member) => {
    const rules = [];
    const higher = LAYERS.slice(index + 1).flat();
    if (higher.length > 0) {
      rules.push({
        name: `upward-from-${member}`,
        severity: 'error',
        comment:
          `src/${member} is in layer ${index + 1} of ${LAYERS.length} and must not import a higher layer ` +
          `(${describe(higher)}). Move the shared piece down, or invert the dependency.`,
        from: { path: where(member) },
        to: { path: anyOf(higher) },
      });
    }
    const allowed = SIBLING_IMPORTS[member] ?? [];
    const siblings = level.filter((other) => other !== member && !allowed.includes(other));
    if (siblings.length > 0) {
      rules.push({
        name: `sibling-from-${member}`,
        severity: 'error',
        comment:
          `src/${member} and ${describe(siblings)} are siblings in layer ${index + 1}: ` +
          `they must not import each other. Move the shared piece to a lower layer.`,
        from: { path: where(member) },
        to: { path: anyOf(siblings) },
      });
    }
    return rules;
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'rng-is-self-contained',
      severity: 'error',
      comment: 'src/rng (the Philox generator) imports nothing of ours: it must stay reproducible on its own.',
      from: { path: where('rng') },
      to: { path: '^src/', pathNot: where('rng') },
    },
    {
      name: 'numeric-takes-only-config-types',
      severity: 'error',
      comment: 'src/numeric imports nothing of ours except types from src/config.',
      from: { path: where('numeric') },
      to: { path: where('config'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment:
        'Every module under src/ belongs to a layer. A new folder (or file directly in src/) ' +
        'goes into LAYERS in .dependency-cruiser.cjs, and into docs/layers.md.',
      from: { path: '^src/', pathNot: anyOf(allMembers) },
      to: {},
    },
    {
      name: 'into-no-layer',
      severity: 'error',
      comment:
        'This imports a module under src/ that belongs to no layer. Add its folder to LAYERS in ' +
        '.dependency-cruiser.cjs, and to docs/layers.md.',
      from: {},
      to: { path: '^src/', pathNot: anyOf(allMembers) },
    },
    {
      name: 'src-stays-in-src',
      severity: 'error',
      comment: 'The library never imports the demos, benchmarks, tests, scripts or build outputs.',
      from: { path: '^src/' },
      to: { path: '^(demos|bench|test|scripts|examples|dist|dist-demo)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import circles are not allowed, not even through type-only imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that cannot be resolved hides its edge from every other rule. (src/gpu/wgsl.generated.ts ' +
        'exists only after `node scripts/embed-shaders.mjs`.)',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'warn',
      comment: 'A module nobody imports and that imports nothing: dead, or an entry point to list here.',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$', '^src/(index|node)\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type` across layers is still an upward dependency.
    tsPreCompilationDeps: true,
    // Resolution as tsc does it (module NodeNext): `import x from './a.js'` finds a.ts.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // `./observe.wgsl.js` is the generated `observe.wgsl.ts` beside a shader, as tsc resolves it.
      extensionAlias: { '.js': ['.ts', '.js'] },
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
