// A worker thread of a large lint run (workloads/parallel.ts): lints each part of a file it is posted, as the run's
// session would, and posts back what it found with every finding already rendered in the run's format, since a string
// is posted far more cheaply than the objects it was made from.
import { parentPort, workerData } from 'node:worker_threads';
import { findingRenderer } from '../output/lint.js';
import { createStyle } from '../output/style.js';
import type { LintOptions } from '../workloads/lint.js';
import type { WorkerReply } from '../workloads/parallel.js';
import { RULES } from '../workloads/registry.js';
import { LintSession } from '../workloads/session.js';

/** What the lint command hands its workers. */
export interface LintWorkerData {
  options: LintOptions;
  format: 'table' | 'json' | 'sarif';
  color: boolean;
}

const { options, format, color } = workerData as LintWorkerData;
const render = findingRenderer(format, createStyle(color), RULES);

parentPort!.on('message', (part: { name: string; text: string; firstLine: number }) => {
  let reply: WorkerReply;
  try {
    reply = { result: LintSession.lintPart(options, part, render) };
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
