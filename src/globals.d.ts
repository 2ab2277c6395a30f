/** Replaced at build time (build.mjs, vitest.config.ts) with a hash of the sources. */
declare const __AMPLIFY_SW_AUTH_BUILD_ID__: string;
