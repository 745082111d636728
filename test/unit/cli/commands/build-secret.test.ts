// `slipway build --secret` specs (buildx's syntax) and the /slipway/build body's secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSecretSpec } from '../../../../runtime/cli/commands/build';
import { secretsOf } from '../../../../runtime/service/routes/build';

const env = { TOKEN: 'from-env', aws: 'aws-from-env' };
const ok: Array<[string, ReturnType<typeof parseSecretSpec>]> = [
  ['id=aws,src=/home/u/.aws/credentials', { id: 'aws', file: '/home/u/.aws/credentials' }],
  ['id=aws,source=creds', { id: 'aws', file: 'creds' }],
  ['src=/run/key.pem', { id: 'key.pem', file: '/run/key.pem' }],
  ['id=tok,env=TOKEN', { id: 'tok', value: 'from-env' }],
  ['type=env,id=TOKEN', { id: 'TOKEN', value: 'from-env' }],
  ['type=env,env=TOKEN', { id: 'TOKEN', value: 'from-env' }],
  ['type=file,id=local', { id: 'local', file: 'local' }],
  ['id=aws', { id: 'aws', value: 'aws-from-env' }],
];
for (const [spec, want] of ok) test(`--secret ${spec}`, () => assert.deepEqual(parseSecretSpec(spec, env), want));

const bad: Array<[string, RegExp]> = [
  ['id=x,env=UNSET', /environment variable UNSET is not set/],
  ['id=nothing', /give src=FILE or env=VAR/],
  ['type=env', /id is required/],
  ['id=x,type=socket', /type must be file or env/],
  ['id=x,path=/a', /unexpected key "path"/],
  ['id=x,oops', /field "oops" must be key=value/],
];
for (const [spec, error] of bad) test(`--secret ${spec} is refused`, () => assert.throws(() => parseSecretSpec(spec, env), error));

test('request secrets: base64 bytes by id; bad shapes are refused without echoing values', () => {
  assert.deepEqual(secretsOf([{ id: 'a', data: Buffer.from('s3cret').toString('base64') }]), { a: Buffer.from('s3cret') });
  assert.equal(secretsOf(undefined), undefined);
  assert.throws(() => secretsOf({ a: 'x' }), /secrets must be a list/);
  assert.throws(() => secretsOf([{ id: '', data: '' }]), /secrets\[0\]: id must be a non-empty string/);
  assert.throws(() => secretsOf([{ id: 'k', data: 'not base64!' }]), (err: Error) => /secret k: data must be base64/.test(err.message) && !err.message.includes('not base64!'));
});
