// mocha's spec reporter, plus the run's counts written as JSON to the file named by
// $INFRAWATCH_TIER_COUNTS, so scripts/test.ts can total the tiers without parsing
// human-readable output. Used as `mocha --reporter ./scripts/lib/countingReporter.ts`.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import type { TierCounts } from './tierRunner';

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.INFRAWATCH_TIER_COUNTS;
      if (!file) return;
      const counts: TierCounts = {
        passed: this.stats.passes,
        // Includes failed hooks, whose tests never ran.
        failed: this.stats.failures,
        pending: this.stats.pending,
        durationMs: this.stats.duration ?? 0,
      };
      writeFileSync(file, JSON.stringify(counts));
    });
  }
}

// mocha loads reporters with require() and wants the constructor itself as the module
// (or as `default`), so this file cannot use a named export like the rest of the code.
export = CountingReporter;
