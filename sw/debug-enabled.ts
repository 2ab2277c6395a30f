/**
 * False only in the lean ready worker, dist/amplify-auth-worker.js (build.mjs): its minifier drops
 * the request log (debug-log.ts, describe-request.ts) behind every `DEBUG &&`, keeping the script
 * every app loads on each cold start small. registerAuthWorker({ debug: true }) registers
 * dist/amplify-auth-worker-offline.js, the full worker, by default; dist/sw.js has it too.
 */
export const DEBUG: boolean = typeof __AMPLIFY_SW_AUTH_DEBUG__ === 'undefined' || __AMPLIFY_SW_AUTH_DEBUG__;
