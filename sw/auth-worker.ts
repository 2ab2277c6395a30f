/// <reference lib="webworker" />
// Entry of the ready-made worker script, dist/amplify-auth-worker.js: a classic script with no
// imports, so it can be served from any public folder and registered as is.
import { installAuthInterceptor } from './install-auth-interceptor';
import { TRACE, traceMoment } from './trace';

// `npx amplify-sw-auth init <publicDir> --allow <endpoint>` prepends this assignment to the copy,
// so the allowlist lives in the worker, out of reach of page script.
declare const self: ServiceWorkerGlobalScope & { AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS?: string[] };

// This worker has no other fetch handling, so nothing is lost by letting the browser route around it.
installAuthInterceptor({ allowedEndpoints: self.AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS, staticRoutes: true });
if (TRACE) traceMoment('installed');
