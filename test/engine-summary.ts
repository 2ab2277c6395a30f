// A vitest reporter that ends the run with one line per browser engine, "<engine>: N passed,
// N failed, N marked" (a marked test names the capability its engine lacks: see needs() in
// test/browser/harness.ts). The browser projects are named browser-<engine>.
import type { Reporter, TestModule } from 'vitest/node';

export default class EngineSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const engines = new Map<string, { passed: number; failed: number; marked: number }>();
    for (const module of modules) {
      const engine = /^browser-(\w+)$/.exec(module.project.name)?.[1];
      if (engine === undefined) continue;
      const counts = engines.get(engine) ?? { passed: 0, failed: 0, marked: 0 };
      engines.set(engine, counts);
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++; // a file that could not run
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else if (state === 'skipped') counts.marked++;
      }
    }
    for (const [engine, { passed, failed, marked }] of engines) console.log(`${engine}: ${passed} passed, ${failed} failed, ${marked} marked`);
  }
}
