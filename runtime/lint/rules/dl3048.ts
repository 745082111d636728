import { defineRule, hadolintUrl } from '../rule';
import { labelPairs } from './labels';

export function validLabelKey(key: string): boolean {
  if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(key)) return false;
  return /^[a-z]([a-z0-9._/-]*[a-z0-9])?$/.test(key) && !key.includes('..') && !key.includes('--');
}

export default defineRule({
  code: 'DL3048', name: 'label-key', family: 'hadolint', severity: 'hint',
  description: 'Invalid label key.',
  url: hadolintUrl('DL3048'),
  format: () => 'Invalid label key.',
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL Version=1 com.docker.extra=yes\n' }], good: [{ source: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.0.0\n' }] },
  check(ctx, report) {
    for (const pair of labelPairs(ctx)) if (!pair.key.includes('$') && !validLabelKey(pair.key)) report({ range: pair.range, message: this.format() });
  },
});
