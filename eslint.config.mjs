import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'koffi', message: 'koffi lives only in runtime/linux/.' }] }],
    },
  },
  // The one Linux layer is the only place allowed to load koffi.
  { files: ['runtime/linux/**'], rules: { 'no-restricted-imports': 'off' } },
  // Nothing under runtime/ may import vscode.
  {
    files: ['runtime/**'],
    ignores: ['runtime/linux/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode', { name: 'koffi', message: 'koffi lives only in runtime/linux/.' }] }] },
  },
  { files: ['**/*.mjs', '**/*.cjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
