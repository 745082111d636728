// What activate() returns: other extensions and the editor tests reach Slipway through this
// (vscode.extensions.getExtension('slipway.slipway').exports).
import type { Services } from './services';

export interface SlipwayApi {
  services: Services;
  /** The text of the runtime-service status bar item as shown right now. */
  statusBarText(): string;
}
