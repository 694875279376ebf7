import type { OutputStream, Reporter, Terminal } from '../deps.js';
import type { Style } from './style.js';
import { redactText } from '../util/redact.js';

/**
 * ora draws with cursor movements, which only a real terminal stream offers, and counts wrapped lines by the
 * terminal's width: a pseudo-terminal that reports 0 columns (e.g. under `script`) makes it erase lines forever.
 */
function canSpin(stream: OutputStream): boolean {
  const tty = stream as { clearLine?: unknown; columns?: number };
  return typeof tty.clearLine === 'function' && (tty.columns ?? 0) > 0;
}

/** Creates the reporter: ora spinners when interactive, plain lines otherwise, silent steps in json mode. */
export function createReporter(opts: {
  stderr: OutputStream;
  terminal: Terminal;
  style: Style;
  debug: boolean;
  quietSteps: boolean;
  secrets?: () => readonly string[];
}): Reporter {
  const { stderr, terminal, style } = opts;
  const secrets = opts.secrets ?? (() => []);
  const write = (line: string) => stderr.write(redactText(line, secrets()) + '\n');
  const ms = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

  return {
    debugEnabled: opts.debug,
    info: (message) => write(message),
    warn: (message) => write(`${style.chalk.yellow(style.color ? '!' : 'warning:')} ${message}`),
    debug: (message) => {
      if (opts.debug) write(style.chalk.dim(`debug: ${message}`));
    },
    async step(label, fn) {
      const t0 = performance.now();
      if (terminal.interactive && !opts.quietSteps && canSpin(stderr)) {
        const { default: ora } = await import('ora');
        const spinner = ora({
          text: label,
          stream: stderr as NodeJS.WritableStream,
          color: terminal.color ? 'cyan' : false,
          isEnabled: true,
        });
        spinner.start();
        try {
          const out = await fn((text) => (spinner.text = `${label}: ${text}`));
          spinner.succeed(`${label} (${ms(t0)})`);
          return out;
        } catch (error) {
          spinner.fail(`${label}: failed`);
          throw error;
        }
      }
      if (opts.quietSteps) return fn(() => undefined);
      try {
        // Without a spinner, intermediate progress would be one line per tick: only the outcome is printed.
        const out = await fn(() => undefined);
        write(`${style.status('pass')} ${label} (${ms(t0)})`);
        return out;
      } catch (error) {
        write(`${style.status('fail')} ${label}: failed`);
        throw error;
      }
    },
  };
}
