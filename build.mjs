// Builds the artifacts of the package and prints the sizes of what browsers load.
//   dist/index.js                       page side (ESM; aws-amplify stays the app's own copy)
//   dist/sw.js                          installAuthInterceptor for custom workers (ESM)
//   dist/amplify-auth-worker(-offline).js  the ready workers: classic scripts with no imports
//   dist/amplify-sw-auth.iife.js        the no-bundler drop-in: page side + aws-amplify, global amplifySwAuth
//   dist/vite.js                        the Vite plugin, amplify-sw-auth/vite (Node)
//   dist/cli.js                         npx amplify-sw-auth init <publicDir>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { addDeclarationExtensions } from './declaration-extensions.mjs';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Same sources, same id: page and worker of one build recognise each other. */
function buildId() {
  const hash = createHash('sha256').update(pkg.version);
  for (const dir of ['src', 'sw']) {
    for (const file of readdirSync(join(root, dir), { recursive: true }).sort()) {
      if (String(file).endsWith('.ts')) hash.update(String(file)).update(readFileSync(join(root, dir, String(file))));
    }
  }
  return `${pkg.version}+${hash.digest('hex').slice(0, 12)}`;
}

const define = { __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify(buildId()), __AMPLIFY_SW_AUTH_TRACE__: 'false' };
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
const isExternal = (id) => external.some((name) => id === name || id.startsWith(`${name}/`));

/**
 * aws4fetch guesses a request's service and region from AWS host names when its signer is given
 * neither; this worker always gives both (sw/signing-info.ts resolves them as Amplify does), so the
 * guess and its table of host names are dead weight in the ready scripts (about 0.6 kB of the
 * 12 kB gzip budget). The signer's own code is untouched; the build fails if the function moves.
 */
const dropAws4fetchGuess = {
  name: 'drop-aws4fetch-service-guess',
  transform(code, id) {
    if (!/[\\/]node_modules[\\/]aws4fetch[\\/]/.test(id)) return null;
    const table = /const HOST_SERVICES = \{[^}]*\};?/;
    const guess = /function guessServiceRegion\(url, headers\) \{[\s\S]*?\n\}\n/;
    if (!table.test(code) || !guess.test(code)) throw new Error(`build: aws4fetch changed shape (${id}); review dropAws4fetchGuess in build.mjs.`);
    return code
      .replace(table, 'const HOST_SERVICES = {};')
      .replace(guess, "function guessServiceRegion() {\n  throw new Error('amplify-sw-auth: the signer was built without a service or region.');\n}\n");
  },
};

async function bundle({ entry, fileName, format = 'es', externals = true, minify = false, platform, banner, extraDefine = {} }) {
  // Offline support is in every build unless one says otherwise (sw/offline/offline-enabled.ts).
  extraDefine = { __AMPLIFY_SW_AUTH_OFFLINE__: 'true', __AMPLIFY_SW_AUTH_DEBUG__: 'true', ...extraDefine };
  await build({
    configFile: false,
    logLevel: 'warn',
    define: { ...define, ...extraDefine },
    plugins: externals ? [] : [dropAws4fetchGuess],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      minify,
      sourcemap: false,
      target: platform === 'node' ? 'node20' : 'es2022',
      ssr: platform === 'node' ? entry : undefined,
      lib: platform === 'node' ? undefined : { entry, formats: [format], fileName: () => fileName, name: 'amplifySwAuth' },
      rolldownOptions: {
        external: externals ? isExternal : [],
        output: platform === 'node' ? { entryFileNames: fileName, banner } : undefined,
      },
    },
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
await bundle({ entry: 'src/index.ts', fileName: 'index.js' });
await bundle({ entry: 'sw/index.ts', fileName: 'sw.js' });
// Workbox strips its dev-only logging and assertions when NODE_ENV is production. The default
// ready worker leaves the offline queue, the read cache and the debug log out (they would cost
// ~50% more script on every cold start); registerAuthWorker({ offline }) or ({ debug }) registers
// the second, full one.
const production = { 'process.env.NODE_ENV': '"production"' };
await bundle({ entry: 'sw/auth-worker.ts', fileName: 'amplify-auth-worker.js', format: 'iife', externals: false, minify: true, extraDefine: { ...production, __AMPLIFY_SW_AUTH_OFFLINE__: 'false', __AMPLIFY_SW_AUTH_DEBUG__: 'false' } });
await bundle({ entry: 'sw/auth-worker.ts', fileName: 'amplify-auth-worker-offline.js', format: 'iife', externals: false, minify: true, extraDefine: production });
// The drop-in carries its own aws-amplify: a page with no bundler has no other copy to share.
await bundle({ entry: 'src/drop-in.ts', fileName: 'amplify-sw-auth.iife.js', format: 'iife', externals: false, minify: true, extraDefine: production });
await bundle({ entry: 'src/node/cli.ts', fileName: 'cli.js', platform: 'node', banner: '#!/usr/bin/env node' });
await bundle({ entry: 'src/node/vite-plugin.ts', fileName: 'vite.js', platform: 'node' });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'sw/tsconfig.json'], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'src/node/tsconfig.json'], { stdio: 'inherit' });
addDeclarationExtensions(join(root, 'dist/types'));
// The README's diagram, for the package page: npm renders no mermaid (README, "How it works").
copyFileSync(join(root, 'how-it-works.svg'), join(root, 'dist/how-it-works.svg'));

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
for (const file of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js', 'index.js', 'amplify-sw-auth.iife.js']) {
  const bytes = readFileSync(join(root, 'dist', file));
  console.log(`dist/${file}: ${kB(bytes.length)} raw, ${kB(gzipSync(bytes, { level: 9 }).length)} gzip, ${kB(brotliCompressSync(bytes).length)} brotli`);
}
