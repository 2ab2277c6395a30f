import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { amplifySwAuth } from 'amplify-sw-auth/vite';
import outputs from './amplify_outputs.json';

export default defineConfig({
  // The allowlist baked into the worker: the custom.API endpoints of this backend's outputs.
  plugins: [react(), amplifySwAuth({ outputs })],
  // A second page, which asks the worker for an API the build did not allow.
  build: { rollupOptions: { input: ['index.html', 'other-api.html'] } },
});
