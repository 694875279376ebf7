#!/usr/bin/env node
// Shim, in CommonJS (bin/package.json) because a CommonJS entry starts faster than an ES module: check the Node
// version before loading anything that needs 22, answer a bare --help from the saved pages, else hand over to
// dist/cli.js.
'use strict';
const { join } = require('node:path');

const [major, minor] = process.versions.node.split('.').map(Number);
const argv = process.argv.slice(2);
if (major < 22 || (major === 22 && minor < 12)) {
  // An older Node (the system one, say, after `npm install -g .`): run under the Node 22 the package pins as a dev
  // dependency when it is installed beside it, else say what to do.
  const pinned = join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  if (require('node:fs').existsSync(pinned) && pinned !== process.execPath) {
    const child = require('node:child_process').spawn(pinned, [__filename, ...argv], { stdio: 'inherit' });
    // Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone (`kill $!`) is passed on.
    process.on('SIGINT', () => {});
    for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? 128 + ({ SIGINT: 2, SIGHUP: 1, SIGTERM: 15 }[signal] ?? 1);
    });
  } else {
    process.stderr.write(
      `vnodes needs Node.js 22.12 or newer; this is ${process.version}. Install Node 22 (https://nodejs.org), or run it from its repository with npx vnodes after npm ci.\n`,
    );
    process.exitCode = 2;
  }
} else if (!savedHelp()) {
  require('node:module').enableCompileCache?.();
  import('../dist/cli.js').then(({ main }) => main());
}

/**
 * Prints the page commander rendered at build time (dist/help.json, src/build-help.ts) when the command line asks
 * for help and nothing else; a reader that goes away (`| head`) ends it quietly. False otherwise, or when unbuilt.
 */
function savedHelp() {
  if (!argv.some((a) => a === '--help' || a === '-h' || a === 'help')) return false;
  let saved;
  try {
    saved = JSON.parse(require('node:fs').readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
  } catch {
    return false;
  }
  const key = saved.forms[JSON.stringify(argv)];
  if (key === undefined) return false;
  process.stdout.on('error', () => {});
  process.stdout.write(saved.pages[key]);
  return true;
}
