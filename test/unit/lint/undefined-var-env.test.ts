// UndefinedVar with base-image environments (LintOptions.baseImageEnv): the editor and
// `slipway lint` pass the Config.Env of images in the local store, so a stage FROM an image
// the rule knows nothing about is checked once its environment is known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { expectDiagnostics, type Expected } from './expect';

// What the local store would answer: myimg sets APP_HOME and GOPATH; nothing else is known.
const STORE: Record<string, Record<string, string>> = {
  myimg: { PATH: '/usr/local/go/bin:/usr/bin', APP_HOME: '/srv/app', GOPATH: '/go' },
  'registry.example/team/base:1.2': { TEAM_DIR: '/team' },
};
const fromStore = (image: string) => STORE[image];

const CASES: { name: string; source: string; expected: Expected[]; env?: boolean }[] = [
  { name: 'an unknown image: its stage is not checked', source: 'FROM myimg\nWORKDIR $APP_HOEM\n', expected: [], env: false },
  { name: 'a variable the image defines is not flagged', source: 'FROM myimg\nWORKDIR $APP_HOME\nCOPY . ${GOPATH}/src\n', expected: [] },
  {
    name: 'a typo with a known base is flagged with the image variable as suggestion',
    source: 'FROM myimg\nWORKDIR $APP_HOEM\n',
    expected: [{ code: 'UndefinedVar', line: 2, message: "Usage of undefined variable '$APP_HOEM' (did you mean $APP_HOME?)" }],
  },
  { name: 'a name far from every variable has no suggestion', source: 'FROM myimg\nUSER $WHOEVER\n', expected: [{ code: 'UndefinedVar', line: 2, message: "Usage of undefined variable '$WHOEVER'" }] },
  { name: 'RUN is left to the shell even with a known base', source: 'FROM myimg\nRUN echo $NOT_IN_IMAGE\n', expected: [] },
  { name: 'a global ARG default names the base image', source: 'ARG BASE=myimg\nFROM $BASE\nWORKDIR $APP_HOME\nLABEL x=$TYPO\n', expected: [{ code: 'UndefinedVar', line: 4 }] },
  { name: 'a ${VAR:-default} base image', source: 'FROM ${BASE:-myimg}\nLABEL x=$GOPAHT\n', expected: [{ code: 'UndefinedVar', line: 2, message: /did you mean \$GOPATH\?/ }] },
  { name: 'an ARG without a value: the image is unknowable, nothing is checked', source: 'ARG BASE\nFROM $BASE\nLABEL x=$TYPO\n', expected: [] },
  { name: 'a child stage inherits the image environment', source: 'FROM myimg AS base\nFROM base\nWORKDIR $APP_HOME\nLABEL x=$APP_HOMME\n', expected: [{ code: 'UndefinedVar', line: 4 }] },
  { name: 'a registry-qualified reference is looked up as written', source: 'FROM registry.example/team/base:1.2\nWORKDIR $TEAM_DIR\nUSER $TEAM_USER\n', expected: [{ code: 'UndefinedVar', line: 3 }] },
  { name: 'a PATH-only image found in the store uses its real environment', source: 'FROM alpine\nWORKDIR $APP_HOME\n', expected: [{ code: 'UndefinedVar', line: 2 }] },
];

for (const c of CASES) {
  test(`UndefinedVar with base-image env: ${c.name}`, () => {
    expectDiagnostics(c.source, c.expected, { only: ['UndefinedVar'], ...(c.env === false ? {} : { baseImageEnv: fromStore }) });
  });
}

test('UndefinedVar asks for each base image by its expanded name, never for stages or unset variables', () => {
  const asked: string[] = [];
  lint('ARG TAG=1.2\nARG UNSET\nFROM registry.example/team/base:${TAG} AS one\nFROM one\nFROM $UNSET\nFROM scratch\nLABEL a=b\n', {
    baseImageEnv: (image) => { asked.push(image); return undefined; },
  });
  assert.deepEqual(asked.sort(), ['registry.example/team/base:1.2', 'scratch']);
});
