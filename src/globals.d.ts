/** Replaced at build time (build.mjs, vitest.config.ts) with a hash of the sources. */
declare const __AMPLIFY_SW_AUTH_BUILD_ID__: string;
/** true only in the benchmark's traced worker build (test/bench/trace-worker.mjs). */
declare const __AMPLIFY_SW_AUTH_TRACE__: boolean;
/** false only in the lean ready worker (dist/amplify-auth-worker.js), which leaves the offline modules out. */
declare const __AMPLIFY_SW_AUTH_OFFLINE__: boolean;
/** false only in the lean ready worker, which leaves the `debug` request log out. */
declare const __AMPLIFY_SW_AUTH_DEBUG__: boolean;
