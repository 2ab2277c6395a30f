// An app's vite.config.ts with the plugin of `amplify-sw-auth/vite` (Node side).
// Never run: consumer-types.test.ts type-checks it, strict, against the installed tarball.
import type { PluginOption } from 'vite';
import { amplifySwAuth } from 'amplify-sw-auth/vite';

// Gen2 outputs as an app imports them (resolveJsonModule), and an explicit allowlist.
const outputs = { version: '1.4', custom: { API: { myRestApi: { endpoint: 'https://a1b2c3.execute-api.us-west-2.amazonaws.com/prod/', region: 'us-west-2', apiName: 'myRestApi' } } } };

export default { plugins: [amplifySwAuth(), amplifySwAuth({ allow: ['https://api.example.com/v1'], outputs })] satisfies PluginOption[] };
