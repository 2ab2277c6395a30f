import { defineConfig } from 'vitest/config';

const define = { __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify('test'), __AMPLIFY_SW_AUTH_TRACE__: 'false' };

// The browser suite runs once per engine, one engine after the other: the machine has two cores,
// shared with the emulators, and cannot take two browsers at once. BROWSER_ENGINES narrows the list.
const ENGINES = (process.env.BROWSER_ENGINES ?? 'chromium,firefox,webkit').split(',');

export default defineConfig({
  test: {
    reporters: ['default', './test/engine-summary.ts'],
    projects: [
      {
        define,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        define,
        test: { name: 'emulators', include: ['test/emulators/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        define,
        test: { name: 'package', include: ['test/package/**/*.test.ts'], environment: 'node', globalSetup: ['test/package/packed-app.ts'], testTimeout: 60_000 },
      },
      // Group 0 is the Node-only projects, then one group per engine, then the bench smoke.
      ...ENGINES.map((engine, i) => ({
        define,
        test: {
          name: `browser-${engine}`,
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          env: { BROWSER_ENGINE: engine },
          globalSetup: ['test/browser/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 + i },
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      })),
      {
        define,
        // The benchmark harness at tiny counts (test/bench/); `npm run bench` is the real run.
        test: { name: 'bench-smoke', include: ['test/bench/**/*.test.ts'], environment: 'node', testTimeout: 60_000, sequence: { groupOrder: 1 + ENGINES.length } },
      },
    ],
  },
});
