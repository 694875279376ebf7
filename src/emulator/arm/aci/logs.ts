// What an emulated container "prints": a few deterministic lines per run, so `provider logs`, `kubectl logs` through
// a provider, and tests have something stable to read. ACI's log API returns the current run's output only.
import { workloadOf } from './images.js';
import type { AciTiming, ContainerRun } from './lifecycle.js';

/** Most tick lines kept per run (a long-running container would otherwise print without bound). */
const MAX_TICKS = 5000;

/** One log line and when it was printed (epoch ms). */
interface Line {
  at: number;
  text: string;
}

/**
 * The lines the container's current (or last) run printed up to `now`: `printed` (what a workload such as the probe
 * prints, one a millisecond from its start) in place of the ticks when given.
 */
export function logLines(run: ContainerRun, now: number, timing: AciTiming, printed?: readonly string[]): Line[] {
  const start = run.runStartedAt;
  if (start === undefined) return [];
  const work = workloadOf(run.behaves ?? run.image);
  const end =
    run.currentState.state === 'Running' ? now : (run.currentState.finishTime ?? run.previousState?.finishTime ?? now);
  const lines: Line[] = [{ at: start, text: `${run.name}: starting ${run.image} (run ${run.restartCount + 1})` }];
  const every = Math.max(1, timing.logIntervalMs);
  const ticks = printed === undefined ? Math.floor((Math.min(end, now) - start) / every) : 0;
  for (let k = Math.max(1, ticks - MAX_TICKS + 1); k <= ticks; k++) {
    lines.push({ at: start + k * every, text: `${run.name}: tick ${k}` });
  }
  printed?.forEach((text, k) => start + k + 1 <= Math.min(end, now) && lines.push({ at: start + k + 1, text }));
  const finished = run.currentState.state !== 'Running' && end <= now && work.exitCode !== undefined;
  if (finished && work.reason === 'OOMKilled') lines.push({ at: end, text: `${run.name}: allocating more memory` });
  else if (finished) lines.push({ at: end, text: `${run.name}: exiting with code ${work.exitCode}` });
  return lines;
}

/**
 * The `content` of ACI's ListLogs answer: the lines, each prefixed with an RFC 3339 timestamp when `timestamps`, the
 * last `tail` of them when given, newline-terminated.
 */
export function logContent(lines: Line[], options: { tail?: number; timestamps?: boolean }): string {
  const kept =
    options.tail !== undefined && options.tail >= 0 ? lines.slice(Math.max(0, lines.length - options.tail)) : lines;
  return kept.map((l) => (options.timestamps ? `${new Date(l.at).toISOString()} ${l.text}\n` : `${l.text}\n`)).join('');
}
