// Targeted cases per rule, one table: what a rule must report (code, line, message) and what it
// must not, beyond the documentation examples — quoting, heredocs, cache mounts, stages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { applyEdits, expectDiagnostics, type Expected } from './expect';

const CASES: { name: string; source: string; expected: Expected[]; only?: string[]; dockerignore?: string }[] = [
  // BuildKit messages, exactly as `docker build --check` prints them.
  { name: 'StageNameCasing message', source: 'FROM alpine AS BuilderBase\n', expected: [{ code: 'StageNameCasing', line: 1, message: "Stage name 'BuilderBase' should be lowercase" }] },
  { name: 'FromAsCasing message', source: 'FROM debian:latest as builder\n', expected: [{ code: 'FromAsCasing', line: 1, message: "'as' and 'FROM' keywords' casing do not match" }] },
  { name: 'ConsistentInstructionCasing majority', source: 'FROM alpine\nRun echo\nEntryPoint ["x"]\n', expected: [{ code: 'ConsistentInstructionCasing', line: 2, message: "Command 'Run' should match the case of the command majority (uppercase)" }, { code: 'ConsistentInstructionCasing', line: 3 }] },
  { name: 'DuplicateStageName is case-insensitive', source: 'FROM a AS x\nFROM b AS X\n', expected: [{ code: 'DuplicateStageName', line: 2, message: 'Duplicate stage name "x", stage names should be unique' }], only: ['DuplicateStageName'] },
  { name: 'UndefinedVar with did-you-mean', source: 'FROM alpine\nENV PATH=$PAHT:/app/bin\n', expected: [{ code: 'UndefinedVar', line: 2, message: "Usage of undefined variable '$PAHT' (did you mean $PATH?)" }] },
  { name: 'UndefinedVar: ENV pairs see only earlier ENVs', source: 'FROM alpine\nENV A=1 B=$A\nENV C=$A\n', expected: [{ code: 'UndefinedVar', line: 2 }], only: ['UndefinedVar'] },
  { name: 'UndefinedVar: RUN and shell-form CMD are not checked, single quotes are literal', source: "FROM alpine\nRUN echo $NOPE\nCMD echo $NOPE\nLABEL a='$NOPE'\n", expected: [] , only: ['UndefinedVar'] },
  { name: 'UndefinedVar: a parent stage ENV is inherited', source: 'FROM alpine AS base\nENV APP=/app\nFROM base\nWORKDIR $APP\n', expected: [], only: ['UndefinedVar'] },
  { name: 'UndefinedVar: global ARG needs re-declaring inside the stage', source: 'ARG V=1\nFROM alpine\nLABEL v=$V\n', expected: [{ code: 'UndefinedVar', line: 3 }], only: ['UndefinedVar'] },
  { name: 'UndefinedArgInFrom suggests built-ins', source: 'FROM --platform=$BULIDPLATFORM golang:1.22\n', expected: [{ code: 'UndefinedArgInFrom', line: 1, message: "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)" }] },
  { name: 'InvalidDefaultArgInFrom: empty tag', source: 'ARG TAG\nFROM busybox:${TAG}\n', expected: [{ code: 'InvalidDefaultArgInFrom', line: 2, message: 'Default value for ARG busybox:${TAG} results in empty or invalid base image name' }] },
  { name: 'FromPlatformFlagConstDisallowed message', source: 'FROM --platform=linux/amd64 alpine AS base\n', expected: [{ code: 'FromPlatformFlagConstDisallowed', line: 1, message: 'FROM --platform flag should not use constant value "linux/amd64"' }] },
  { name: 'RedundantTargetPlatform message', source: 'FROM --platform=${TARGETPLATFORM} alpine\n', expected: [{ code: 'RedundantTargetPlatform', line: 1, message: 'Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior' }] },
  { name: 'SecretsUsedInArgOrEnv allow-list', source: 'FROM alpine\nARG GITHUB_TOKEN\nARG PUBLIC_KEY\nENV KEY_FILE=/k AUTH=x\n', expected: [{ code: 'SecretsUsedInArgOrEnv', line: 2, message: 'Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")' }, { code: 'SecretsUsedInArgOrEnv', line: 4 }] },
  { name: 'MultipleInstructionsDisallowed points at the overridden one', source: 'FROM alpine\nCMD ["a"]\nRUN true\nCMD ["b"]\n', expected: [{ code: 'MultipleInstructionsDisallowed', line: 2, message: 'Multiple CMD instructions should not be used in the same stage because only the last one will be used' }] },
  { name: 'ExposeInvalidFormat and ProtoCasing', source: 'FROM alpine\nEXPOSE 127.0.0.1:8080:80/UDP\n', expected: [{ code: 'ExposeInvalidFormat', line: 2, message: "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:8080:80/UDP'" }, { code: 'ExposeProtoCasing', line: 2 }] },
  { name: 'CopyIgnoredFile: ignored file and Add wording', source: 'FROM scratch\nCOPY Dockerfile .\nADD ./Dockerfile /windy\nCOPY src/ /src/\n', dockerignore: 'Dockerfile\n', expected: [{ code: 'CopyIgnoredFile', line: 2, message: 'Attempting to Copy file "Dockerfile" that is excluded by .dockerignore' }, { code: 'CopyIgnoredFile', line: 3, message: 'Attempting to Add file "Dockerfile" that is excluded by .dockerignore' }] },
  { name: 'CopyIgnoredFile: exceptions disable the check, as BuildKit', source: 'FROM scratch\nCOPY Dockerfile .\n', dockerignore: 'Dockerfile\n!keep\n', expected: [], only: ['CopyIgnoredFile'] },
  { name: 'JSONArgsRecommended not after SHELL in a parent stage', source: 'FROM alpine AS base\nSHELL ["/bin/ash", "-c"]\nFROM base\nCMD echo hi\n', expected: [], only: ['JSONArgsRecommended'] },
  // hadolint rules that read RUN through the shell parser.
  { name: 'DL3008: a quoted package and `-t` value', source: 'FROM debian:12\nRUN apt-get install -y -t bookworm-backports "git=1:2.39" && apt-get install -y curl\n', expected: [{ code: 'DL3008', line: 2 }], only: ['DL3008'] },
  { name: 'DL3008: apt-get inside a heredoc RUN', source: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get install -y --no-install-recommends curl\nEOF\n', expected: [{ code: 'DL3008', line: 4 }], only: ['DL3008'] },
  { name: 'DL3008: a heredoc fed to another program is data, not shell', source: 'FROM debian:12\nRUN python3 <<EOF\napt-get install curl\nEOF\n', expected: [], only: ['DL3008'] },
  { name: 'DL3009: cache mounts on apt dirs exempt (hadolint false positive)', source: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends curl=1\n', expected: [], only: ['DL3009'] },
  { name: 'DL3009: only stages that ship', source: 'FROM debian:12 AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /x /x\n', expected: [], only: ['DL3009'] },
  { name: 'DL3004: sudo as an argument is not a command', source: 'FROM debian:12\nRUN echo sudo && apt-get install -y sudo=1\n', expected: [], only: ['DL3004'] },
  { name: 'DL3004: sudo after ||, in a subshell, in $()', source: 'FROM debian:12\nRUN true || sudo a\nRUN (sudo b)\nRUN x=$(sudo c)\n', expected: [{ code: 'DL3004', line: 2 }, { code: 'DL3004', line: 3 }, { code: 'DL3004', line: 4 }] },
  { name: 'DL3003: cd in a comment is not a command', source: 'FROM debian:12\nRUN make \\\n# cd /tmp\n && make install\n', expected: [], only: ['DL3003'] },
  { name: 'DL3019: --mount cache on /var/cache/apk', source: 'FROM alpine:3\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=1\nRUN apk add curl=1\n', expected: [{ code: 'DL3019', line: 3 }], only: ['DL3019'] },
  { name: 'DL3042: PIP_NO_CACHE_DIR inline', source: 'FROM python:3\nRUN PIP_NO_CACHE_DIR=1 pip install a==1\n', expected: [], only: ['DL3042'] },
  { name: 'DL3042: ENV PIP_NO_CACHE_DIR in the legacy form, quoted', source: 'FROM python:3\nENV PIP_NO_CACHE_DIR "true"\nRUN pip install a==1\n', expected: [], only: ['DL3042'] },
  // COPY/ADD words are unquoted as BuildKit's shell lexer does (quotes anywhere in the word, escapes).
  { name: 'CopyIgnoredFile: quotes inside a source word are removed', source: 'FROM scratch\nCOPY "Docker"file /\nCOPY Docker\\file /x\n', dockerignore: 'Dockerfile\n', expected: [{ code: 'CopyIgnoredFile', line: 2 }, { code: 'CopyIgnoredFile', line: 3 }] },
  { name: 'DL3045: a destination made absolute by unquoting is not relative', source: 'FROM alpine:3\nCOPY a "/"app/\nCOPY b \'app\'/\n', expected: [{ code: 'DL3045', line: 3 }], only: ['DL3045'] },
  { name: 'DL4006: pipe inside quotes is not a pipe', source: 'FROM debian:12\nRUN echo "a | b"\nRUN grep x f | wc -l\n', expected: [{ code: 'DL4006', line: 3 }], only: ['DL4006'] },
  { name: 'shell rules are off under a PowerShell SHELL', source: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN cd C:\\; sudo x | y\n', expected: [], only: ['DL3003', 'DL3004', 'DL4006'] },
  { name: 'ONBUILD RUN is inspected', source: 'FROM debian:12\nONBUILD RUN sudo make\n', expected: [{ code: 'DL3004', line: 2 }], only: ['DL3004'] },
  // BuildKit flags are flags, not sources.
  { name: 'COPY --link --exclude: flags are not sources', source: 'FROM alpine:3\nWORKDIR /app\nCOPY --link --exclude=*.md --chmod=644 . /app/\n', expected: [], only: ['DL3021', 'DL3045', 'DL3010'] },
  { name: 'COPY --parents with several sources still needs a trailing /', source: 'FROM alpine:3\nCOPY --parents a/x b/y /dst\n', expected: [{ code: 'DL3021', line: 2 }], only: ['DL3021'] },
  { name: 'ADD --checksum of a local file is not DL3020 (pinned download)', source: 'FROM alpine:3\nADD --checksum=sha256:0123 https://example.com/tool /tool\nADD conf/ /etc/\n', expected: [{ code: 'DL3020', line: 3 }], only: ['DL3020'] },
  { name: 'DL3020: a quoted URL and a variable source are not local files', source: 'FROM alpine:3\nADD --unpack=true "https://example.com/${V}/x.tar.gz" /opt\nADD ${URL} /opt/\n', expected: [], only: ['DL3020'] },
  { name: 'CopyIgnoredFile ignores COPY --from and heredocs', source: 'FROM alpine AS b\nFROM scratch\nCOPY --from=b secret.txt /\nCOPY <<EOF /secret.txt\nx\nEOF\n', dockerignore: 'secret.txt\n', expected: [], only: ['CopyIgnoredFile'] },
  // What the builder's parser rejects is a located finding, and linting carries on after it.
  { name: 'DockerfileParseError: the rest of the file is still linted', source: 'FROM alpine\nENV A\nCMD ["a", 1]\nRUN sudo x\nRUN <<EOF\necho', expected: [{ code: 'DockerfileParseError', line: 2, message: 'ENV must have two arguments' }, { code: 'DockerfileParseError', line: 3, message: 'dockerfile JSON arrays must contain only strings' }, { code: 'DL3004', line: 4 }, { code: 'DockerfileParseError', line: 5, message: 'unterminated heredoc EOF' }] },
  { name: 'DockerfileParseError: typed-layer errors (unknown flag, instruction, argument count)', source: 'FROM alpine:3\nCOPY --chmod 644 a\nRUN --mount=type=cache,target=/x true\nFOO bar\nWORKDIR /a\n', expected: [{ code: 'DockerfileParseError', line: 2, message: 'missing a value on flag: --chmod' }, { code: 'DockerfileParseError', line: 4, message: 'unknown instruction: FOO' }] },
  { name: 'DL3059: different mounts do not fire', source: 'FROM alpine:3\nRUN --mount=type=cache,target=/a a\nRUN b\nRUN c\n', expected: [{ code: 'DL3059', line: 4 }], only: ['DL3059'] },
];

for (const c of CASES) {
  test(`rule: ${c.name}`, () => { expectDiagnostics(c.source, c.expected, { only: c.only, dockerignore: c.dockerignore }); });
}

// Mechanical fixes: applying the first fix of the finding removes it and gives this text.
const FIXES: { code: string; source: string; fixed: string }[] = [
  { code: 'StageNameCasing', source: 'FROM alpine AS Build\nFROM Build\nCOPY --from=Build /a /a\n', fixed: 'FROM alpine AS build\nFROM build\nCOPY --from=build /a /a\n' },
  { code: 'FromAsCasing', source: 'FROM alpine as build\n', fixed: 'FROM alpine AS build\n' },
  { code: 'ConsistentInstructionCasing', source: 'FROM alpine\nrun true\nRUN false\n', fixed: 'FROM alpine\nRUN true\nRUN false\n' },
  { code: 'JSONArgsRecommended', source: 'FROM alpine\nCMD node server.js --port 80\n', fixed: 'FROM alpine\nCMD ["node", "server.js", "--port", "80"]\n' },
  { code: 'MaintainerDeprecated', source: 'FROM alpine\nMAINTAINER Jane <j@example.com>\n', fixed: 'FROM alpine\nLABEL org.opencontainers.image.authors="Jane <j@example.com>"\n' },
  { code: 'LegacyKeyValueFormat', source: 'FROM alpine\nENV GREETING hello world\n', fixed: 'FROM alpine\nENV GREETING="hello world"\n' },
  { code: 'WorkdirRelativePath', source: 'FROM alpine\nWORKDIR app\n', fixed: 'FROM alpine\nWORKDIR /app\n' },
  { code: 'ExposeProtoCasing', source: 'FROM alpine\nEXPOSE 80/TCP\n', fixed: 'FROM alpine\nEXPOSE 80/tcp\n' },
  { code: 'NoEmptyContinuation', source: 'FROM alpine\nRUN a \\\n\n  b\n', fixed: 'FROM alpine\nRUN a \\\n  b\n' },
  { code: 'DL3014', source: 'FROM debian:12\nRUN apt-get install --no-install-recommends a=1\n', fixed: 'FROM debian:12\nRUN apt-get -y install --no-install-recommends a=1\n' },
  { code: 'DL3015', source: 'FROM debian:12\nRUN apt-get \\\n  install -y a=1\n', fixed: 'FROM debian:12\nRUN apt-get --no-install-recommends \\\n  install -y a=1\n' },
  { code: 'DL3020', source: 'FROM alpine\nADD app/ /app/\n', fixed: 'FROM alpine\nCOPY app/ /app/\n' },
  { code: 'DL3027', source: 'FROM ubuntu\nRUN apt install -y jq\n', fixed: 'FROM ubuntu\nRUN apt-get install -y jq\n' },
  { code: 'DL3042', source: 'FROM python:3\nRUN pip install a==1\n', fixed: 'FROM python:3\nRUN pip install --no-cache-dir a==1\n' },
];
for (const f of FIXES) {
  test(`fix: ${f.code}`, () => {
    const finding = lint(f.source, { families: [f.code.startsWith('DL') ? 'hadolint' : 'buildkit'] }).find((x) => x.code === f.code);
    assert.ok(finding && finding.fixes.length > 1, `no fix for ${f.code}`);
    const out = applyEdits(f.source, finding.fixes[0].edits);
    assert.equal(out, f.fixed);
    assert.ok(!lint(out).some((x) => x.code === f.code), `${f.code} still reported after the fix`);
  });
}

test('a byte-order mark does not shift ranges on the first line', () => {
  const f = lint('\uFEFFFROM alpine:3 as build\n').find((x) => x.code === 'FromAsCasing');
  assert.deepEqual(f?.range, { start: { line: 0, character: 15 }, end: { line: 0, character: 17 } });
});

test('no unsafe exec-form fix when the command needs a shell', () => {
  const f = lint('FROM alpine\nCMD node app.js > /log 2>&1\n').find((x) => x.code === 'JSONArgsRecommended');
  assert.ok(f);
  assert.equal(f.fixes.length, 1, 'only the ignore fix');
});

test('# hadolint shell=pwsh turns the shell rules off where no SHELL says otherwise', () => {
  expectDiagnostics('# hadolint shell=pwsh\nFROM mcr.microsoft.com/powershell:7.4\nRUN cd C:\\ ; sudo x | y\n', [], { only: ['DL3003', 'DL3004', 'DL4006'] });
  expectDiagnostics('# hadolint shell=bash\nFROM debian:12\nRUN sudo x\n', [{ code: 'DL3004', line: 3 }]);
});

test('DL3025 also covers HEALTHCHECK CMD in shell form', () => {
  expectDiagnostics('FROM nginx:1.27.0\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n', [{ code: 'DL3025', line: 2 }], { families: ['hadolint'] });
});

test('UndefinedVar checks a stage only when its base environment is known', () => {
  const src = 'FROM jupyter/base-notebook:2024\nUSER ${NB_UID}\nWORKDIR $NB_HOEM\n';
  expectDiagnostics(src, [], { only: ['UndefinedVar'] });
  expectDiagnostics(src, [{ code: 'UndefinedVar', line: 3, message: "Usage of undefined variable '$NB_HOEM' (did you mean $NB_HOME?)" }], {
    baseImageEnv: (image) => (image.startsWith('jupyter/base-notebook') ? { NB_UID: '1000', NB_HOME: '/home/jovyan' } : undefined),
  });
  expectDiagnostics('FROM docker.io/library/alpine:3.20@sha256:0123\nUSER $APP_UID\n', [{ code: 'UndefinedVar', line: 2 }]);
});
