// The consent rule for commands that write to Azure (subnet create, enable, disable): a dry run needs none, --yes
// gives it, a person at a terminal is asked, and anything else stops with exit 2 naming --yes.
import { ExitCode, InterruptedError, UsageError, VnodesError } from '../errors.js';
import type { Consent, InputStream, OutputStream, Terminal } from '../deps.js';

/** What the consent rule needs to know. */
export interface ConsentRequest {
  /** What will be written, as a verb phrase: "create subnet virtual-node-aci (10.1.0.0/24) in VNet aks-vnet". */
  action: string;
  /** The global --yes flag. */
  yes: boolean;
  /** --dry-run: nothing is written, so nothing needs consent. */
  dryRun: boolean;
  terminal: Terminal;
  /** Where the question goes. */
  stderr: OutputStream;
  /** Where the answer comes from; default process.stdin. */
  stdin?: InputStream;
  /** Ctrl-C while the question is open ends the run (exit 130) instead of waiting for an answer. */
  signal?: AbortSignal;
}

/** Resolves when the write may go ahead; throws UsageError (exit 2) or VnodesError (declined, exit 1) otherwise. */
export async function confirmWrite(request: ConsentRequest): Promise<void> {
  if (request.dryRun || request.yes) return;
  const stdin = request.stdin ?? process.stdin;
  // A prompt needs a person on both ends: stderr on a terminal (terminal.interactive) and a terminal to answer from.
  if (!request.terminal.interactive || !stdin.isTTY) {
    throw new UsageError(
      `Not allowed to ${request.action} without confirmation, and this run is not interactive.`,
      'Re-run with --yes to allow the write, or with --dry-run to see the exact request without making it.',
      'VNODES_CONFIRMATION_REQUIRED',
    );
  }
  request.stderr.write(`${request.action.charAt(0).toUpperCase()}${request.action.slice(1)}? [y/N] `);
  const answer = await readLine(stdin, request.signal);
  if (/^\s*y(es)?\s*$/i.test(answer ?? '')) return;
  throw new VnodesError('Nothing was changed: the write was not confirmed.', {
    code: 'VNODES_DECLINED',
    exitCode: ExitCode.failed,
    remediation: 'Re-run and answer y, or pass --yes.',
  });
}

/** The Consent port handed to the core, bound to the run's --yes, terminal, streams and signal. */
export function createConsent(base: Omit<ConsentRequest, 'action' | 'dryRun'>): Consent {
  return {
    confirm: (action, { dryRun }) => confirmWrite({ ...base, action, dryRun }),
    once: (action, { dryRun }) => consentOnce({ ...base, action, dryRun }),
  };
}

// A consent function for a command that writes several times: it asks (or checks --yes) before the first write only,
// and before every write makes sure the run was not interrupted meanwhile.
function consentOnce(request: ConsentRequest): () => Promise<void> {
  let given: Promise<void> | undefined;
  return async () => {
    await (given ??= confirmWrite(request));
    if (request.signal?.aborted) throw new InterruptedError();
  };
}

// One line from the input (or what came before its end); the stream is paused after, so the process can exit.
function readLine(stdin: InputStream, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    const stop = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      signal?.removeEventListener('abort', onAbort);
      stdin.pause();
    };
    const done = (line: string | undefined) => {
      stop();
      resolve(line);
    };
    const onAbort = () => {
      stop();
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end).replace(/\r$/, ''));
    };
    const onEnd = () => done(text === '' ? undefined : text);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}
