/**
 * A scenario the user wrote (or named) cannot be loaded: a missing file, YAML that does not parse, an unknown key, a
 * bad value. It is the user's to fix, so `emulator start` and `demo` report it as bad input, never as a bug. The
 * emulator imports nothing from vnodes, hence its own error type.
 */
export class ScenarioError extends Error {
  constructor(
    /** The scenario file, when there is one (an unknown name has none). */
    readonly file: string | undefined,
    /** What is wrong, naming the bad part. */
    readonly problem: string,
    /** 1-based line in `file`, where YAML gives one. */
    readonly line?: number,
    /** The top-level key the problem is in, so a loader can find its line. */
    readonly key?: string,
  ) {
    super(`${file ? `Scenario ${file}${line ? `, line ${line}` : ''}: ` : ''}${problem}.`);
    this.name = 'ScenarioError';
  }

  /** The same problem, located at a line. */
  at(line: number | undefined): ScenarioError {
    return line === undefined ? this : new ScenarioError(this.file, this.problem, line, this.key);
  }
}
