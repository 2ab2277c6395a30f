// Entry of the ready-made worker script, dist/amplify-auth-worker.js: a classic script with no
// imports, so it can be served from any public folder and registered as is.
import { installAuthInterceptor } from './install-auth-interceptor';

installAuthInterceptor();
