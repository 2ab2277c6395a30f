// The sources import each other without extensions (moduleResolution "Bundler"), and tsc copies
// those specifiers into the .d.ts files as written. The package is ESM ("type": "module"), so a
// consumer on moduleResolution node16/nodenext reads the declarations as ES modules, where a
// relative import must name its file (TypeScript handbook, "Modules - Reference": ESM resolution
// does no extension search); `from './types'` then fails to resolve and every type behind it is
// lost (attw's "InternalResolutionError"). This gives each relative specifier in the emitted
// declarations the `.js` of the file it stands for, which every resolution mode accepts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// `from '…'` (import and export declarations) and `import('…')` (inferred types): what tsc emits.
const SPECIFIER = /(\bfrom\s*|\bimport\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** The `.js` specifier of `specifier`, imported from `file`; throws if no declaration answers it. */
function withExtension(file, specifier) {
  if (/\.(js|mjs|cjs|json)$/.test(specifier)) return specifier;
  const base = join(dirname(file), specifier);
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`build: ${file} imports ${specifier}, which no emitted declaration answers.`);
}

/** Rewrites every .d.ts under `dir` in place. */
export function addDeclarationExtensions(dir) {
  for (const name of readdirSync(dir, { recursive: true })) {
    if (!String(name).endsWith('.d.ts')) continue;
    const file = join(dir, String(name));
    const source = readFileSync(file, 'utf8');
    const fixed = source.replace(SPECIFIER, (_, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier)}${quote}`);
    if (fixed !== source) writeFileSync(file, fixed);
  }
}
