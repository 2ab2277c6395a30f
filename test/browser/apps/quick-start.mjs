// The README's quick start, as a reader copies it: the fenced block after each
// `<!-- quick-start:<file> -->` marker is that file of the app, verbatim.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const README = resolve(import.meta.dirname, '../../../README.md');

/** @returns {Record<string, string>} file path in the app -> its content, from README.md */
export function quickStartFiles(readme = readFileSync(README, 'utf8')) {
  /** @type {Record<string, string>} */
  const files = {};
  for (const match of readme.matchAll(/<!-- quick-start:(\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) files[match[1]] = `${match[2]}\n`;
  for (const name of ['vite.config.ts', 'src/main.ts']) {
    if (!files[name]) throw new Error(`README.md has no <!-- quick-start:${name} --> block followed by a fenced code block.`);
  }
  return files;
}
