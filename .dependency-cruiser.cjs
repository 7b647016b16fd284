// Import rules `npm run lint` enforces (dependency-cruiser). The layering they
// keep: core (no vscode, plain Node) <- store/config/secrets <- views,
// documents, webviews (each UI folder on its own) <- extension.ts; nothing
// shipped depends on test/.
/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'Shipped code never imports test/: what both need (the loopback sample server) lives in src/ and the tests import it from there.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'core-stays-in-core',
      severity: 'error',
      comment: 'src/core runs in plain Node (no vscode) and is tested there: it imports only src/core, Node builtins and npm packages.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-not-to-vscode',
      severity: 'error',
      comment: 'src/core never imports the editor API (it resolves to @types/vscode, a dev dependency, so the rule above lets it through).',
      from: { path: '^src/core/' },
      to: { path: '^node_modules/@types/vscode/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      severity: 'error',
      comment: 'What src/ imports is bundled into the .vsix: a package it needs at run time belongs in dependencies, not devDependencies.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '^node_modules/@types/vscode/' },
    },
    {
      name: 'ui-folders-apart',
      severity: 'error',
      comment:
        'documents/, views/ and webviews/ do not reach into each other: what two of them share belongs lower (core/text, core/model, store/), ' +
        "and the only thing one may import from another is that folder's index.ts, its public surface.",
      from: { path: '^src/(documents|views|webviews)/' },
      to: { path: '^src/(documents|views|webviews)/', pathNot: ['^src/$1/', '^src/(documents|views|webviews)/index\\.ts$'] },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders form a layering: no folder depends, even indirectly, on a folder that depends on it.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module depends on itself through others (a barrel imported by its own members is the usual way in).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency; vscode is provided by the host.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^vscode$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
