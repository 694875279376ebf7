import { UsageError } from '../errors.js';

/** A scenario the emulator could not load (its ScenarioError) as the user's bad input: exit 2, naming the file. */
export function scenarioUsageError(error: Error, shipped: readonly string[]): UsageError {
  return new UsageError(
    `--scenario: ${error.message}`,
    `Fix the scenario (its format is in docs/emulator.md), or name a shipped one: ${shipped.join(', ')}.`,
    'VNODES_BAD_SCENARIO',
  );
}
