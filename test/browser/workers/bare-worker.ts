// An app's own worker that adds amplify-sw-auth with one call and nothing else: no static routes,
// so every request of its pages, navigations included, reaches its fetch listener. Built into
// demo/public/amplify-auth-worker-bare.js by test/browser/workers/build.mjs.
import { installAuthInterceptor } from '../../../sw/index';

installAuthInterceptor();
