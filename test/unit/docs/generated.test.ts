// The generated user docs (docs/rules.md, cli.md, extension.md) must match the code: this
// regenerates them in memory and compares, and checks the renderers on small made-up inputs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Command } from '../../../runtime/cli/command';
import { commands } from '../../../runtime/cli/commands';
import { cliAnchor, renderCliDocs } from '../../../scripts/docs/cli';
import { describeMenuItem, renderExtensionDocs, type Manifest } from '../../../scripts/docs/extension';
import { generatedDocs, REPO_ROOT } from '../../../scripts/docs';

const fakeCommand = (name: string, summary: string, usage: string): Command => ({ name, summary, usage, run: async () => 0 });

describe('committed docs are current', () => {
  for (const [rel, text] of generatedDocs()) {
    test(rel, () => {
      const file = readFileSync(path.join(REPO_ROOT, rel), 'utf8');
      // A boolean check: a long diff helps nobody; regenerate instead.
      assert.ok(file === text, `${rel} is stale: run npm run docs`);
    });
  }
});

test('cli.md has a section with the usage of every registered command', () => {
  const md = generatedDocs().get('docs/cli.md')!;
  for (const c of commands) {
    assert.ok(md.includes(`\n## slipway ${c.name}\n`), `section for ${c.name}`);
    assert.ok(md.includes(`](#${cliAnchor(c.name)})`), `index link for ${c.name}`);
    assert.ok(md.includes(c.usage.trimEnd()), `usage of ${c.name}`);
  }
});

test('extension.md names every contributed command, setting and view', () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const md = generatedDocs().get('docs/extension.md')!;
  const c = manifest.contributes!;
  for (const x of c.commands ?? []) assert.ok(md.includes(`| \`${x.command}\` |`), x.command);
  for (const key of Object.keys((c.configuration as { properties: object }).properties)) assert.ok(md.includes(`\n### ${key}\n`), key);
  for (const v of Object.values(c.views ?? {}).flat()) assert.ok(md.includes(`| \`${v.id}\` |`), v.id);
});

test('docs/README.md links every page in docs/', () => {
  const index = readFileSync(path.join(REPO_ROOT, 'docs', 'README.md'), 'utf8');
  const pages = readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  assert.ok(pages.length >= generatedDocs().size, 'docs/ holds the generated pages');
  for (const page of pages) assert.ok(index.includes(`](${page})`), `docs/README.md does not link ${page}`);
});

describe('renderCliDocs', () => {
  const cases: Array<{ name: string; cmds: Command[]; has?: string[]; throws?: RegExp }> = [
    {
      name: 'index row, section and verbatim usage',
      cmds: [fakeCommand('frob', 'Frob a thing | or two', 'Usage:  slipway frob [OPTIONS] THING\n\n  -x   Cross it')],
      has: ['| [`frob`](#slipway-frob) | Frob a thing \\| or two |', '## slipway frob\n\nFrob a thing | or two\n', '```text\nUsage:  slipway frob [OPTIONS] THING\n\n  -x   Cross it\n```', '  frob   Frob a thing | or two'],
    },
    {
      name: 'a usage text with a code fence gets a longer fence',
      cmds: [fakeCommand('quote', 'Quote', 'Usage:  slipway quote\n```\nliteral\n```')],
      has: ['````text\nUsage:  slipway quote\n```\nliteral\n```\n````'],
    },
    { name: 'duplicate names', cmds: [fakeCommand('a', 's', 'u'), fakeCommand('a', 's', 'u')], throws: /command "a" is registered twice/ },
    { name: 'missing usage', cmds: [fakeCommand('b', 's', ' ')], throws: /command "b" has no usage text/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.throws) return assert.throws(() => renderCliDocs(c.cmds), c.throws);
      const md = renderCliDocs(c.cmds);
      for (const h of c.has ?? []) assert.ok(md.includes(h), `missing ${JSON.stringify(h)} in\n${md}`);
    });
  }
});

describe('describeMenuItem', () => {
  const views = new Map([['x.things', 'Things']]);
  const cases: Array<[string, string, { when?: string; group?: string }, string]> = [
    ['editor title with a condition', 'editor/title', { when: 'resourceLangId == dockerfile', group: 'navigation' }, 'editor title bar (`resourceLangId == dockerfile`)'],
    ['inline button in a view', 'view/item/context', { when: 'view == x.things && viewItem == thing.on', group: 'inline@1' }, 'Things view: inline button (`viewItem == thing.on`)'],
    ['context menu in a view, no other condition', 'view/item/context', { when: 'view == x.things', group: '1_a@1' }, 'Things view: context menu'],
    ['unknown view keeps its id', 'view/title', { when: 'view == x.other' }, 'x.other view: title bar'],
    ['unknown menu shown as its id', 'scm/title', {}, '`scm/title`'],
  ];
  for (const [name, menu, item, want] of cases) {
    test(name, () => assert.equal(describeMenuItem(menu, { command: 'c', ...item }, views), want));
  }
});

describe('renderExtensionDocs', () => {
  const manifest: Manifest = {
    displayName: 'Demo',
    contributes: {
      commands: [{ command: 'd.go', title: 'Go', category: 'Demo' }, { command: 'd.hidden', title: 'Hidden' }],
      menus: {
        commandPalette: [{ command: 'd.hidden', when: 'false' }],
        'view/item/context': [{ command: 'd.hidden', when: 'view == d.list && viewItem == row', group: 'inline' }],
      },
      viewsContainers: { panel: [{ id: 'dpanel', title: 'Demo Panel' }] },
      views: { dpanel: [{ id: 'd.list', name: 'List' }] },
      configuration: { properties: { 'd.level': { type: 'string', enum: ['low', 'high'], default: 'low', markdownDescription: 'How **loud**.', scope: 'machine' } } },
      keybindings: [{ command: 'd.go', key: 'ctrl+g' }],
    },
  };
  const md = renderExtensionDocs(manifest);
  const cases: Array<[string, string]> = [
    ['title with category, palette and key binding', '| Demo: Go | `d.go` | Command Palette<br>key `ctrl+g` |'],
    ['hidden from the palette, shown in its view', '| Hidden | `d.hidden` | List view: inline button (`viewItem == row`) |'],
    ['setting type with enum values', '- Type: string: `"low"`, `"high"`'],
    ['setting default as JSON', '- Default: `"low"`'],
    ['setting markdown description', '\nHow **loud**.\n'],
    ['setting scope', '- Scope: machine'],
    ['view row with its container and item commands', '| List | `d.list` | Demo Panel (panel) | Hidden |'],
  ];
  for (const [name, want] of cases) test(name, () => assert.ok(md.includes(want), `missing ${JSON.stringify(want)} in\n${md}`));

  test('a menu naming an uncontributed command is an error naming it', () => {
    assert.throws(() => renderExtensionDocs({ contributes: { commands: [], menus: { 'editor/title': [{ command: 'd.ghost' }] } } }), /editor\/title names command d\.ghost/);
  });
});
