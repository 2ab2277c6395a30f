// `media: true` (issue 14, capability 3): <img>, <video> and CSS url() loads of an API's URLs are
// authorized by the worker, which fetches them in CORS mode with auth; nothing else with a
// no-cors mode is, and another site's loads never reach the worker.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logged } from './emulator-control';
import { emulators, needs, pageUrl, useBrowser } from './harness';

const root = resolve(import.meta.dirname, '../..');
// The ready worker with the API stage as its allowlist, as amplifySwAuth({ outputs }) or
// `init --allow` bake it: only then do its static routes let media loads of APIs reach it.
const dir = resolve(root, 'demo/public/media');
const WORKER = '/media/amplify-auth-worker.js';

/** The harness APIs plus `photos`, under the IAM route, with media on. */
const withPhotos = async (open: () => Promise<any>, url = WORKER) => {
  const page = await open();
  await page.evaluate((url: string) => {
    const h = (window as any).harness;
    h.photos = h.apis.iam.endpoint + '/photos';
    return h.register({ url, scope: '/', apis: { ...h.apis, photos: { endpoint: h.photos, region: h.apis.iam.region, media: true } } });
  }, url);
  return page;
};

describe('media: true', () => {
  const { open } = useBrowser();
  beforeAll(() => execFileSync(process.execPath, [resolve(root, 'dist/cli.js'), 'init', dir, '--allow', emulators().api.endpoint], { stdio: 'pipe' }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused, naming the fix, by a ready worker without an allowlist (its static routes would send media past it)', async () => {
    const page = await open();
    const error = await page.evaluate((url: string) => {
      const h = (window as any).harness;
      return h.register({ url, apis: { photos: { endpoint: h.apis.iam.endpoint + '/photos', media: true } } }).then(() => null, (e: any) => ({ code: e.code, message: e.message }));
    }, '/amplify-auth-worker.js');
    expect(error).toMatchObject({ code: 'config-rejected' });
    expect(error.message).toContain('API "photos" has media: true, but this worker lets the browser send media loads straight to the network');
    expect(error.message).toContain('amplifySwAuth({ allow })');
  });

  it('authorizes <img> and CSS url() loads of the API', async () => {
    const page = await withPhotos(open);
    const width = await page.evaluate(async () => {
      const h = (window as any).harness;
      // onload, not decode(): in Firefox 140 decode() rejected (EncodingError) an image that loaded and showed.
      const img = new Image();
      await new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(new Error('image error'));
        img.src = h.photos + '/cat.png?as=png';
      });
      const div = document.createElement('div');
      div.style.cssText = `width:1px;height:1px;background-image:url("${h.photos}/bg.png?as=png")`;
      document.body.append(div);
      await h.until(() => false, 500);
      return img.naturalWidth;
    });
    expect(width).toBe(1);
    expect((await logged('/prod/iam/photos/cat.png'))[0]).toMatchObject({ status: 200, auth: { type: 'iam', role: 'guest' } });
    expect((await logged('/prod/iam/photos/bg.png'))[0]).toMatchObject({ status: 200, auth: { type: 'iam' } });
  });

  needs('media-range-interception')('authorizes <video> loads, and each Range in gets its 206 out', async () => {
    const page = await withPhotos(open);
    const duration = await page.evaluate(async () => {
      const h = (window as any).harness;
      const video = document.createElement('video');
      video.preload = 'auto';
      video.muted = true;
      const metadata = new Promise((resolve, reject) => {
        video.onloadedmetadata = () => resolve(video.duration);
        video.onerror = () => reject(new Error(`video error ${video.error?.code}`));
      });
      video.src = h.photos + '/clip.wav?as=wav';
      document.body.append(video);
      return metadata;
    });
    expect(duration).toBeCloseTo(2, 1);
    const clip = await logged('/prod/iam/photos/clip.wav');
    expect(clip.length).toBeGreaterThan(0);
    for (const e of clip) expect(e.auth).toMatchObject({ type: 'iam' });
    for (const e of clip.filter((e) => e.range !== null)) expect(e.status).toBe(206);
  });

  needs('media-range-interception', 'media-range-requests')('a <video> Range request goes through authorized: 206', async () => {
    const page = await withPhotos(open);
    await page.evaluate(async () => {
      const video = document.createElement('video');
      video.preload = 'auto';
      video.muted = true;
      await new Promise((resolve, reject) => {
        video.onloadedmetadata = resolve;
        video.onerror = () => reject(new Error(`video error ${video.error?.code}`));
        video.src = (window as any).harness.photos + '/ranged.wav?as=wav';
        document.body.append(video);
      });
    });
    const ranged = (await logged('/prod/iam/photos/ranged.wav')).filter((e) => /^bytes=\d+-/.test(e.range ?? ''));
    expect(ranged.length).toBeGreaterThan(0);
    for (const e of ranged) expect(e).toMatchObject({ status: 206, auth: { type: 'iam' } });
  });

  needs('stop-worker')('a worker the browser stopped still authorizes the next image: it holds media loads until it knows its config', async () => {
    const page = await withPhotos(open);
    await page.stopWorkers();
    const width = await page.evaluate(async () => {
      const img = new Image();
      await new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(new Error('image error'));
        img.src = (window as any).harness.photos + '/after-restart.png?as=png';
      });
      return img.naturalWidth;
    });
    expect(width).toBe(1);
    expect((await logged('/prod/iam/photos/after-restart.png')).map((e) => [e.status, e.auth?.type])).toEqual([[200, 'iam']]);
  });

  it('leaves a no-cors fetch() to a media API, and media of an API without `media`, unauthorized', async () => {
    const page = await withPhotos(open);
    await page.evaluate(async () => {
      const h = (window as any).harness;
      await fetch(h.photos + '/no-cors', { mode: 'no-cors' });
      await new Promise((r) => {
        const img = new Image();
        img.onload = img.onerror = r;
        img.src = h.apis.iam.endpoint + '/not-media.png?as=png';
      });
    });
    expect((await logged('/prod/iam/photos/no-cors')).map((e) => [e.status, e.seen.authorization])).toEqual([[403, false]]);
    expect((await logged('/prod/iam/not-media.png')).map((e) => [e.status, e.seen.authorization])).toEqual([[403, false]]);
  });

  it('another site\'s <img> of the API never reaches the worker: it loads unauthorized', async () => {
    const page = await withPhotos(open);
    const photos: string = await page.evaluate(() => (window as any).harness.photos);
    // Same server, another origin (127.0.0.1 vs localhost): another site, in the same browser profile.
    const other = await page.openTab(`${pageUrl().replace('localhost', '127.0.0.1')}/test/browser/pages/cross-site-media.html?src=${encodeURIComponent(photos + '/embedded.png?as=png')}`);
    expect(await other.evaluate(() => (window as any).loaded)).toBe('error');
    expect((await logged('/prod/iam/photos/embedded.png')).map((e) => [e.status, e.seen.authorization])).toEqual([[403, false]]);
    // The harness page's own load of the same URL is authorized: the worker was there, and on.
    await page.evaluate(async () => {
      const img = new Image();
      await new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(new Error('image error'));
        img.src = (window as any).harness.photos + '/embedded.png?as=png';
      });
    });
    expect((await logged('/prod/iam/photos/embedded.png')).map((e) => e.status)).toEqual([403, 200]);
  });
});
