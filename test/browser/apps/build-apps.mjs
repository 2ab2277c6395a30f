// The three example apps, made as a user makes them: the package packed with `npm pack`, installed
// into a fresh app from the npm cache, the app built with its own Vite. Installs are cached under
// test-results/apps/, keyed on the package's contents and the app's files, so the three engine runs
// of one `npm test` install each app once. The build is redone only when the backend changes: each
// engine run starts its own emulators, whose Cognito pool ids and ports end up in the bundle, as a
// real app's amplify_outputs.json does (about 2 s per app).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { quickStartFiles } from './quick-start.mjs';

const root = resolve(import.meta.dirname, '../../..');
const templates = resolve(import.meta.dirname, 'templates');
const cache = resolve(root, 'test-results/apps');

/** @typedef {'vanilla-ts' | 'react-gen2' | 'drop-in'} AppName */
/**
 * What the app knows of its backend: its Gen2 outputs, and the local Cognito endpoint they cannot carry.
 * @typedef {{ outputs: { auth: Record<string, any>, custom: { API: Record<string, { endpoint: string, region: string, apiName?: string }> } } & Record<string, unknown>, cognitoEndpoint: string }} Backend
 */
/**
 * @typedef {{ root: string, site: string, installMs?: number, typecheckMs?: number, buildMs?: number }} PreparedApp
 * root: the app's folder (node_modules and all); site: the folder to serve (the build output, or the page's folder).
 */

/** @param {AppName} name @param {Backend} backend @returns {PreparedApp} */
export function prepareApp(name, backend) {
  const source = appSources(name);
  const key = sha256([packageInputs(), ...Object.entries(source).flat()].join('\0')).slice(0, 16);
  const app = join(cache, `${name}-${key}`);
  /** @type {PreparedApp} */
  const prepared = { root: app, site: join(app, name === 'drop-in' ? 'site' : 'dist') };
  if (!existsSync(join(app, '.installed'))) Object.assign(prepared, install(name, app, source, backend));
  const backendKey = sha256(JSON.stringify(backend));
  if (readText(join(app, '.built')) !== backendKey) {
    const started = Date.now();
    writeBackend(name, app, backend);
    if (name !== 'drop-in') run(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], app);
    writeFileSync(join(app, '.built'), backendKey);
    prepared.buildMs = Date.now() - started;
  }
  return prepared;
}

/** @param {AppName} name @returns {Record<string, string>} the app's own files, by path */
function appSources(name) {
  const files = readTree(join(templates, name));
  if (name === 'drop-in') return files;
  return { ...files, 'src/local-backend.ts': readFileSync(join(templates, 'shared/local-backend.ts'), 'utf8'), ...(name === 'vanilla-ts' ? quickStartFiles() : {}) };
}

/** @param {AppName} name @param {string} app @param {Record<string, string>} source @param {Backend} backend */
function install(name, app, source, backend) {
  for (const old of existsSync(cache) ? readdirSync(cache) : []) if (old.startsWith(`${name}-`)) rmSync(join(cache, old), { recursive: true, force: true });
  const building = `${app}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  // The drop-in's page is written per backend (writeBackend); its folder is only a place to install into.
  if (name === 'drop-in') writeFileSync(join(building, 'package.json'), JSON.stringify({ name: 'drop-in-site', private: true }));
  else {
    for (const [path, text] of Object.entries(source)) {
      mkdirSync(join(building, path, '..'), { recursive: true });
      writeFileSync(join(building, path), text);
    }
  }
  let started = Date.now();
  // As test/package does: the app's dependencies are all in the npm cache `npm ci` filled.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps', packedTarball()], building);
  if (name === 'drop-in') {
    // The README's steps: the CLI copies the workers, the drop-in is copied from the package.
    run('npx', ['--no-install', 'amplify-sw-auth', 'init', 'site', '--drop-in'], building);
  }
  const installMs = Date.now() - started;
  let typecheckMs;
  if (name !== 'drop-in') {
    // The app's `tsc`, once per install: types do not depend on the backend's values.
    writeBackend(name, building, backend);
    started = Date.now();
    run(join(building, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], building);
    typecheckMs = Date.now() - started;
  }
  writeFileSync(join(building, '.installed'), JSON.stringify({ installMs, typecheckMs }));
  renameSync(building, app);
  return { installMs, typecheckMs };
}

/** @param {AppName} name @param {string} app @param {Backend} backend */
function writeBackend(name, app, { outputs, cognitoEndpoint }) {
  if (name !== 'drop-in') {
    writeFileSync(join(app, 'amplify_outputs.json'), JSON.stringify(outputs, null, 2));
    writeFileSync(join(app, 'local-backend.json'), JSON.stringify({ cognitoEndpoint }));
    return;
  }
  // A page with no build step writes Amplify's config by hand: the same backend, as a ResourcesConfig.
  const { auth, custom } = outputs;
  const config = {
    Auth: { Cognito: { userPoolId: auth.user_pool_id, userPoolClientId: auth.user_pool_client_id, identityPoolId: auth.identity_pool_id, allowGuestAccess: true, userPoolEndpoint: cognitoEndpoint, identityPoolEndpoint: cognitoEndpoint } },
    API: { REST: custom.API },
  };
  const [api] = Object.values(custom.API);
  // gen2.html is given the outputs as they are, less `auth`: they have no field for a local Cognito,
  // and the page must not reach out to AWS's.
  const { auth: _cloudCognito, ...outputsWithoutAuth } = outputs;
  const pages = { 'index.html': ['__AMPLIFY_CONFIG__', config], 'gen2.html': ['__AMPLIFY_OUTPUTS__', outputsWithoutAuth] };
  for (const [file, [slot, value]] of Object.entries(pages)) {
    const page = readFileSync(join(templates, 'drop-in', file), 'utf8')
      .replace(slot, JSON.stringify(value))
      .replace('__API_ENDPOINT__', api.endpoint);
    writeFileSync(join(app, 'site', file), page);
  }
}

/** The package's tarball, packed once per content of what `npm pack` ships. */
function packedTarball() {
  const tarball = join(cache, `amplify-sw-auth-${sha256(packageInputs()).slice(0, 16)}.tgz`);
  if (existsSync(tarball)) return tarball;
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first.');
  mkdirSync(cache, { recursive: true });
  for (const old of readdirSync(cache)) if (old.endsWith('.tgz')) rmSync(join(cache, old));
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', cache], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  renameSync(join(cache, String(packed)), tarball);
  return tarball;
}

let inputs = '';
/** A digest of what `npm pack` ships: package.json, README.md and dist/. */
function packageInputs() {
  if (inputs) return inputs;
  const files = { 'package.json': readFileSync(join(root, 'package.json'), 'utf8'), 'README.md': readFileSync(join(root, 'README.md'), 'utf8'), ...readTree(join(root, 'dist')) };
  return (inputs = sha256(Object.entries(files).flat().join('\0')));
}

/** @param {string} folder @returns {Record<string, string>} */
function readTree(folder) {
  /** @type {Record<string, string>} */
  const files = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(folder, path)] = readFileSync(path, 'utf8');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
  try {
    execFileSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string }} */ (error);
    throw new Error(`${relative(root, cwd)}: ${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
/** @param {string} path */
const readText = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
