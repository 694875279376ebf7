// Preloaded with --import: records every module URL resolved, and prints the bare package names on exit.
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(result.url);
    if (match) seen.add(match[1]);
    return result;
  },
});
process.on('exit', () => process.stderr.write(`IMPORTED:${JSON.stringify([...seen].sort())}\n`));
