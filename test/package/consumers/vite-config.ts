// An app's vite.config.ts with the plugin of `amplify-sw-auth/vite` (Node side).
// Never run: consumer-types.test.ts type-checks it, strict, against the installed tarball.
import type { PluginOption } from 'vite';
import { amplifySwAuth } from 'amplify-sw-auth/vite';

export default { plugins: [amplifySwAuth()] satisfies PluginOption[] };
