// Large runs are linted on several cores. A file's text is cut at `---` lines into parts of about 128 KiB; the main
// thread and a pool of worker threads take the parts in turn, and what each part gives is merged into the run's
// session in input order, so the sink sees the same calls, in the same order, as when one thread lints it all. The
// main thread lints too: it would otherwise idle while the workers start and while they lint, since the workers
// render their findings themselves and it has little left to do but write them. Runs under 1 MiB of input start no
// worker: one costs about 100 ms to start and warm up, as much as linting 500 objects. The worker script is the
// caller's (the lint command's renders findings, which this layer may not do).
//
// Workers start by default only on 4 cores or more. On 2 cores, two threads lint no faster than one
// (bench/lint.bench.js, docs/lint.md "Speed"): one thread already keeps the second core 40% busy with V8's
// garbage collector and compiler threads, and each isolate warms up its own JIT.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import type { LintOptions } from './lint.js';
import { LintSession, type InputProblem, type PartResult } from './session.js';
import { splitAtMarkers } from './source.js';

/** Characters in one part: about 100 objects, some 20 ms of work. */
const PART = 128 * 1024;
/** Input seen (characters) before the workers start. */
const START_AT = 1024 * 1024;
/**
 * Parts a worker is handed at once. A worker's answer is taken only between two parts the main thread lints, so it
 * needs a few in hand not to idle meanwhile; more would leave the main thread idle at the end of the run.
 */
const PER_WORKER = 4;
/** Parts not yet merged before the next file is read: memory stays bounded on a large tree. */
const MAX_UNMERGED = 16;

/**
 * The worker threads a run may use: `script` gets `{ options, ...data }` as its workerData, and answers each part
 * posted to it (`{ name, text, firstLine }`) with a WorkerReply, in order.
 */
export interface LintWorkers {
  script: URL;
  data: Record<string, unknown>;
}

/** What a worker posts back for each part. */
export type WorkerReply = { result: PartResult } | { error: string };

/**
 * Worker threads for a run besides the main thread: `VNODES_LINT_WORKERS` (0 lints on the main thread alone), else
 * on 4 cores or more one fewer than the cores, at most 7; none on fewer cores.
 */
export function workerCount(env: Record<string, string | undefined>): number {
  const asked = env.VNODES_LINT_WORKERS?.trim();
  if (asked && !/^\d+$/.test(asked))
    throw new UsageError(
      `VNODES_LINT_WORKERS="${asked}" is not a number of worker threads.`,
      'Set it to 0 (lint on the main thread alone) or a whole number such as 2, or unset it.',
    );
  if (asked) return Math.min(Number(asked), 16);
  const cores = availableParallelism();
  return cores >= 4 ? Math.min(cores - 1, 7) : 0;
}

type Part = { name: string; text: string; firstLine: number };

/** One part to lint: whoever takes it settles it. */
interface Job {
  part: Part;
  resolve(result: PartResult): void;
  reject(error: Error): void;
}

/** Worker threads and the main thread, taking parts as they are free; a worker answers its parts in order. */
class Pool {
  private readonly waiting: Job[] = [];
  private readonly workers = new Map<Worker, Job[]>();
  private mainBusy = false;
  private failure: Error | undefined;

  constructor(
    size: number,
    private readonly options: LintOptions,
    workers: LintWorkers,
  ) {
    const lintOptions: LintOptions = {
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.all ? { all: true } : {}),
      ...(options.skip ? { skip: [...options.skip] } : {}),
      ...(options.info ? { info: true } : {}),
    };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workers.script, { workerData: { ...workers.data, options: lintOptions } });
      const jobs: Job[] = [];
      this.workers.set(worker, jobs);
      worker.on('message', (reply: WorkerReply) => {
        const job = jobs.shift()!;
        if ('error' in reply) job.reject(new Error(reply.error));
        else job.resolve(reply.result);
        this.handOut();
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`A lint worker thread exited (code ${code}).`)));
    }
  }

  lint(part: Part): Promise<PartResult> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ part, resolve, reject });
      this.handOut();
    });
  }

  /** Ends the workers; a part not yet answered fails. */
  close(): void {
    this.fail(new Error('The lint run ended.'));
  }

  private handOut(): void {
    for (const [worker, jobs] of this.workers)
      while (jobs.length < PER_WORKER && this.waiting.length) {
        const job = this.waiting.shift()!;
        jobs.push(job);
        worker.postMessage(job.part);
      }
    if (this.waiting.length && !this.mainBusy) {
      this.mainBusy = true;
      // One part per turn of the event loop, so the workers' answers are taken (and they are handed more) between.
      setImmediate(() => this.lintOnMain());
    }
  }

  private lintOnMain(): void {
    const job = this.failure ? undefined : this.waiting.shift();
    if (job)
      try {
        job.resolve(LintSession.lintPart(this.options, job.part));
      } catch (error) {
        job.reject(error as Error);
      }
    this.mainBusy = false;
    if (!this.failure) this.handOut();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const [worker, jobs] of this.workers) {
      for (const job of jobs.splice(0)) job.reject(error);
      void worker.terminate();
    }
    for (const job of this.waiting.splice(0)) job.reject(error);
  }
}

const ignore = () => {};

/**
 * Where a run's inputs go: to the session itself until the run has seen 1 MiB, then in parts to the pool, merged back
 * in input order. `drain()` waits for the last part; `close()` ends the workers.
 */
export class LintFeed {
  private pool: Pool | undefined;
  private seen = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly unmerged: Promise<void>[] = [];

  /** `count` workers at most, none without a script; `started` hears when they start. */
  constructor(
    private readonly session: LintSession,
    private readonly options: LintOptions,
    private readonly workers: (LintWorkers & { count: number; started?(count: number): void }) | undefined,
  ) {}

  /** Lints one file's text; resolves when there is room to read the next. */
  async addText(name: string, text: string): Promise<void> {
    this.seen += text.length;
    if (!this.pool && this.workers && this.workers.count > 0 && this.seen >= START_AT) {
      this.pool = new Pool(this.workers.count, this.options, this.workers);
      this.workers.started?.(this.workers.count);
    }
    if (!this.pool) return this.session.addText(name, text);
    this.session.countInput();
    for (const part of splitAtMarkers(text, PART)) {
      const result = this.pool.lint({ name, ...part });
      result.catch(ignore); // awaited in turn below; a failure surfaces from there
      this.inTurn(async () => this.session.merge(await result));
    }
    while (this.unmerged.length > MAX_UNMERGED) await this.unmerged.shift();
  }

  /** An input that could not be read, reported after what came before it. */
  problem(p: InputProblem): void {
    if (!this.pool) this.session.problem(p);
    else this.inTurn(() => this.session.problem(p));
  }

  /** Resolves when every part is merged; rejects with the failure of one. */
  async drain(): Promise<void> {
    await this.tail;
  }

  close(): void {
    this.pool?.close();
  }

  private inTurn(step: () => void | Promise<void>): void {
    const done = (this.tail = this.tail.then(step));
    done.catch(ignore);
    this.unmerged.push(done);
  }
}
