// `npm run bench`: the full benchmark (see README.md here). Prints the table and writes
// bench-results.json at the repository root. `--smoke` runs the tiny counts the test uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FULL, SMOKE, runBench } from './bench.mjs';
import { formatReport } from './report.mjs';

const smoke = process.argv.includes('--smoke');
// `--scale 0.2`: fewer requests while working on the harness (the results then miss the minimums).
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 1;
const REQUESTS = ['sequential', 'concurrent', 'warmup', 'bigSequential', 'bigConcurrent', 'bigWarmup', 'traceRequests'];
// `--engine firefox`: the same scenarios in Firefox ESR (default chromium).
const engineAt = process.argv.indexOf('--engine');
const engine = /** @type {'chromium' | 'firefox'} */ (engineAt > 0 ? process.argv[engineAt + 1] : 'chromium');
const counts = smoke ? SMOKE : Object.fromEntries(Object.entries(FULL).map(([k, v]) => [k, REQUESTS.includes(k) ? Math.max(1, Math.round(v * scale)) : v]));
try {
  const results = await runBench(/** @type {typeof FULL} */ (counts), { engine, log: (line) => console.error(`[bench] ${line}`) });
  console.log(formatReport(results));
  const name = engine === 'chromium' ? 'bench-results' : `bench-results.${engine}`;
  const out = join(import.meta.dirname, '../..', smoke || scale !== 1 ? `.tmp/bench/${name}.partial.json` : `${name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
  const failed = Object.entries(results.scenarios).filter(([, s]) => s.errors > 0);
  if (failed.length > 0) {
    console.error(`requests failed in: ${failed.map(([n, s]) => `${n} (${s.errors})`).join(', ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
