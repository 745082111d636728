// package.json's views, menus and commands agree with the code: every menu names a declared
// command, every declared command has a file that defines it, and the views are the ones
// extension/views registers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: Array<{ command: string }>; views: Record<string, Array<{ id: string }>>; viewsContainers: { activitybar: Array<{ id: string; icon: string }> }; menus: Record<string, Array<{ command: string; when?: string }>> };
};
const declared = new Set(pkg.contributes.commands.map((c) => c.command));
const commandSources = readdirSync(path.join(root, 'extension', 'commands')).map((f) => readFileSync(path.join(root, 'extension', 'commands', f), 'utf8')).join('\n');

test('every menu entry names a declared command', () => {
  const undeclared = Object.entries(pkg.contributes.menus).flatMap(([menu, items]) => items.filter((i) => !declared.has(i.command)).map((i) => `${menu}: ${i.command}`));
  assert.deepEqual(undeclared, []);
});

test('every declared command is defined in extension/commands', () => {
  const missing = [...declared].filter((id) => !commandSources.includes(`'${id}'`));
  assert.deepEqual(missing, []);
});

test('the Slipway container holds the views extension/views registers', () => {
  const ids = pkg.contributes.views.slipway.map((v) => v.id);
  const index = readFileSync(path.join(root, 'extension', 'views', 'index.ts'), 'utf8');
  for (const id of ids) assert.ok(index.includes(`'${id}'`), id);
  assert.deepEqual(ids, ['slipway.containers', 'slipway.images', 'slipway.volumes']);
  const icon = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === 'slipway')?.icon ?? '';
  assert.match(readFileSync(path.join(root, icon), 'utf8'), /<svg/);
});

test('menus on tree rows match the contextValues the models produce', () => {
  const whens = pkg.contributes.menus['view/item/context'].map((m) => m.when ?? '');
  for (const v of ['container.running', 'container.stopped']) assert.ok(whens.some((w) => w.includes(v)), v);
  assert.ok(whens.some((w) => w.includes('/^image\\./')));
});

test('a restored preview panel activates the extension', () => {
  assert.ok(pkg.activationEvents.includes('onWebviewPanel:slipway.layers'));
});
