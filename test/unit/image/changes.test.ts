import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, splitWords } from '../../../runtime/image/changes';
import type { ContainerConfig } from '../../../runtime/image/types';
import { InvalidArgumentError } from '../../../runtime/errors';

const table: [string, string[], ContainerConfig, ContainerConfig][] = [
  ['CMD exec form', ['CMD ["/bin/sh"]'], {}, { Cmd: ['/bin/sh'] }],
  ['CMD shell form', ['CMD echo hi'], {}, { Cmd: ['/bin/sh', '-c', 'echo hi'] }],
  ['lower-case instruction', ['cmd ["a"]'], {}, { Cmd: ['a'] }],
  ['ENTRYPOINT resets an inherited CMD', ['ENTRYPOINT ["/app"]'], { Cmd: ['x'] }, { Cmd: null, Entrypoint: ['/app'] }],
  ['ENTRYPOINT with CMD keeps both', ['ENTRYPOINT ["/app"]', 'CMD ["-v"]'], { Cmd: ['x'] }, { Cmd: ['-v'], Entrypoint: ['/app'] }],
  ['ENV pairs with quotes', ['ENV A=1 B="two words" C=a\\ b'], {}, { Env: ['A=1', 'B=two words', 'C=a b'] }],
  ['ENV legacy form replaces', ['ENV PATH /usr/bin:/bin'], { Env: ['PATH=/x', 'K=v'] }, { Env: ['PATH=/usr/bin:/bin', 'K=v'] }],
  ['LABEL', ['LABEL a=b "c d"="e f"'], { Labels: { z: '1' } }, { Labels: { z: '1', a: 'b', 'c d': 'e f' } }],
  ['EXPOSE with protocols and a range', ['EXPOSE 80 53/udp 8000-8001'], {}, { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} } }],
  ['VOLUME JSON and words', ['VOLUME ["/data"]', 'VOLUME /a /b'], {}, { Volumes: { '/data': {}, '/a': {}, '/b': {} } }],
  ['WORKDIR chains relative paths', ['WORKDIR /app', 'WORKDIR src'], {}, { WorkingDir: '/app/src' }],
  ['USER', ['USER 1000:1000'], {}, { User: '1000:1000' }],
  ['STOPSIGNAL', ['STOPSIGNAL SIGTERM'], {}, { StopSignal: 'SIGTERM' }],
  ['ONBUILD', ['ONBUILD RUN make'], {}, { OnBuild: ['RUN make'] }],
];

for (const [name, changes, before, after] of table) {
  test(`--change: ${name}`, () => {
    const copy = structuredClone(before);
    assert.deepEqual(applyChanges(before, changes), after);
    assert.deepEqual(before, copy, 'the input config is not mutated');
  });
}

const bad: [string, RegExp][] = [
  ['FROM busybox', /FROM is not a valid change command/],
  ['RUN make', /RUN is not a valid change command/],
  ['CMD', /CMD needs an argument/],
  ['EXPOSE http', /invalid port "http"/],
  ['EXPOSE 70000', /invalid port range/],
  ['ENV A="unterminated', /unterminated " quote/],
  ['ENV =x', /is not KEY=VALUE/],
  ['ONBUILD FROM x', /ONBUILD cannot trigger FROM/],
  ['', /invalid change ""/],
];
for (const [change, why] of bad) {
  test(`--change refused: ${JSON.stringify(change)}`, () => {
    assert.throws(() => applyChanges({}, [change]), (e: unknown) => e instanceof InvalidArgumentError && why.test(e.message) && e.message.includes(`"${change}"`));
  });
}

test('splitWords: quotes and escapes', () => {
  assert.deepEqual(splitWords(`a "b c" 'd\\e' f\\ g`, 'x'), ['a', 'b c', 'd\\e', 'f g']);
});
