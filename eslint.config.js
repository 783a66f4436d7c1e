// Lint: typescript-eslint's recommended rules, type-checked for the program's code (src/), and the
// plain recommended rules for the tests (test data is often typed loosely on purpose). Layout is
// Prettier's (.prettierrc.json, `npm run format`): eslint-config-prettier, last, turns off every rule
// that would judge it, so that the two never disagree.
import js from '@eslint/js';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.node-versions/', '.bench/', 'coverage/', 'test/helpers/*.cjs', 'test/helpers/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A name that starts with _ is unused on purpose (a rest sibling left out, a callback's slot).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Node scripts in plain JavaScript (fixture makers, the bin shim).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The bin shim is CommonJS (bin/package.json): Node's ES module loader would cost every start a few milliseconds.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Escaping control characters is what these modules are for: their regular expressions name them.
    files: ['src/cli/output.ts', 'src/cli/table.ts', 'src/app/text.ts', 'src/sources/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  eslintConfigPrettier,
);
