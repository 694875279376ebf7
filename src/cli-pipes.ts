import type { OutputStream } from './deps.js';

/**
 * A reader that goes away (`vnodes … | head -3`) is a normal end, not a crash: Node ignores SIGPIPE and reports EPIPE
 * as an 'error' event, which without a listener kills the process with a stack trace. From the first EPIPE on, both
 * streams swallow their errors (later writes fail the same way), and `onClose` lets the command wind down.
 */
export function guardPipes(
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
  onClose: () => void,
): { stdout: OutputStream; stderr: OutputStream; closed(): boolean } {
  let closed = false;
  const listen = (stream: NodeJS.WriteStream) =>
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || closed) {
        if (!closed) onClose();
        closed = true;
        return;
      }
      throw error;
    });
  listen(stdout);
  listen(stderr);
  return { stdout, stderr, closed: () => closed };
}
