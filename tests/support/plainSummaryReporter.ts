/**
 * @file Prints the closing line CI reads: `N passed, N failed, N skipped`.
 * A run in which no test passed is a failure, so a filtered-out or empty run can never land green.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      const tests = [...mod.children.allTests()];
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that fails to import has no tests but must count as a failure.
      if (mod.state() === 'failed' && tests.length === 0) failed++;
    }
    if (passed === 0) process.exitCode = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
