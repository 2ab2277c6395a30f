import { defineConfig } from 'vitest/config';

const define = { __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify('test'), __AMPLIFY_SW_AUTH_TRACE__: 'false' };

export default defineConfig({
  test: {
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
        test: { name: 'package', include: ['test/package/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        define,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          // One Chromium at a time: the machine has two cores, shared with the emulators. The Node-only
          // projects run first (group 0), then this one, then the bench smoke.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        define,
        // The benchmark harness at tiny counts (test/bench/); `npm run bench` is the real run.
        test: { name: 'bench-smoke', include: ['test/bench/**/*.test.ts'], environment: 'node', testTimeout: 60_000, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
