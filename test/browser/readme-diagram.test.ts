// Issue 13: the README's "how it works" diagram renders on the package page. npm shows a mermaid
// fence as code, so the README shows how-it-works.svg (shipped in dist/, served from the published
// package) and keeps its mermaid source in a comment. Here mermaid renders that source in each
// engine, and the committed SVG must say the same and display as an <img>, as npm and GitHub show it.
// `npm run diagram` (WRITE_DIAGRAM=1, Chromium) rewrites the SVG from the source.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE, type TestPage } from './driver';
import { pageUrl, useBrowser } from './harness';

const root = resolve(import.meta.dirname, '../..');
const svgPath = resolve(root, 'how-it-works.svg');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const { open } = useBrowser();

/** The mermaid source: the fence inside the README comment that follows the image. */
function diagramSource(): string {
  const comment = readme.match(/<!-- The diagram above is how-it-works\.svg[\s\S]*?-->/)?.[0];
  expect(comment, 'the README comment holding the diagram source').toBeDefined();
  const source = comment!.match(/```mermaid\n([\s\S]*?)```\n-->$/)?.[1];
  expect(source, 'the whole mermaid fence, inside the comment (a "-->" in it would end the comment early)').toBeDefined();
  return source!;
}

/** Every text the diagram shows, in document order. */
function texts(page: TestPage, svg: string): Promise<string[]> {
  return page.evaluate((markup) => {
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    if (doc.querySelector('parsererror')) throw new Error('not well-formed SVG');
    return [...doc.querySelectorAll('text')].map((t) => (t.textContent ?? '').trim()).filter(Boolean);
  }, svg);
}

describe('the README diagram', () => {
  it('the README shows the SVG from this version of the published package', () => {
    const image = readme.match(/^## How it works\n\n!\[[^\]]{40,}\]\(([^)]+)\)$/m)?.[1];
    expect(image).toBe(`https://cdn.jsdelivr.net/npm/amplify-sw-auth@${version}/dist/how-it-works.svg`);
  });

  it('mermaid renders its source, and how-it-works.svg is that rendering, plain SVG that displays as an image', async () => {
    const page = await open(`${pageUrl()}/test/browser/pages/diagram.html`);
    const source = diagramSource();
    const rendered = await page.evaluate(async (text) => (await (window as any).mermaid.render('how-it-works', text)).svg as string, source);
    if (process.env.WRITE_DIAGRAM === '1' && ENGINE === 'chromium') writeFileSync(svgPath, `${withWhiteBackground(rendered)}\n`);

    const committed = readFileSync(svgPath, 'utf8');
    const shown = await texts(page, rendered);
    expect(shown).toContain('Page bridge (registerAuthWorker)');
    expect(shown).toContain('the request, authorized');
    expect(await texts(page, committed), 'how-it-works.svg is out of date: run `npm run diagram`').toEqual(shown);

    // An <img> runs no script and loads nothing else, so the file must stand alone.
    expect(committed).not.toMatch(/<script|<foreignObject|href="(?!#)|url\((?!#)/i);
    const size = await page.evaluate((src) => new Promise<number[]>((done, fail) => {
      const img = new Image();
      img.onload = () => done([img.naturalWidth, img.naturalHeight]);
      img.onerror = () => fail(new Error('the SVG does not display as an image'));
      img.src = src;
    }), `${pageUrl()}/how-it-works.svg`);
    expect(size[0]).toBeGreaterThan(400);
    expect(size[1]).toBeGreaterThan(300);
  });
});

/** A transparent SVG is unreadable on a dark page (GitHub's and npm's dark themes). */
function withWhiteBackground(svg: string): string {
  const root = svg.match(/^<svg\b[^>]*>/)![0];
  const painted = / style="/.test(root) ? root.replace(/ style="([^"]*)"/, ' style="$1; background-color: white"') : root.replace(/>$/, ' style="background-color: white">');
  return painted + svg.slice(root.length);
}
