// slipway.removeImage: DELETE /images/{name} (a tag is untagged; the last one removes the image).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { Command } from './command';
import { imageTarget } from './targets';

export const removeImage: Command = {
  id: 'slipway.removeImage',
  async run(services, _context, arg) {
    const target = await imageTarget(services, arg);
    if (!target) return;
    const answer = await vscode.window.showWarningMessage(`Remove image ${target.ref}?`, { modal: true }, 'Remove');
    if (answer !== 'Remove') return;
    try {
      await services.client().request('DELETE', `/images/${encodeURIComponent(target.ref)}`).then((res) => res.resume());
    } catch (err) {
      // 409: a container uses it. Say so rather than forcing.
      void vscode.window.showErrorMessage(`Slipway: cannot remove ${target.ref}: ${describe(err)}`);
    }
  },
};
