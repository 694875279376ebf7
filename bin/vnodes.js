#!/usr/bin/env node
// Shim: check the Node version before loading anything that needs 22, then hand over to dist/cli.js.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  // An older Node (the system one, say, after `npm install -g .`): run under the Node 22 the package pins as a dev
  // dependency when it is installed beside it, else say what to do.
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (existsSync(pinned) && pinned !== process.execPath) {
    const { spawn } = await import('node:child_process');
    const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
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
} else {
  const argv = process.argv.slice(2);
  // A bare help request is answered from the pages commander rendered at build time (dist/help.json), without
  // loading commander; a reader that goes away (`| head`) ends it quietly.
  const { savedHelp } = await import('../dist/help-pages.js');
  const page = savedHelp(argv);
  if (page !== undefined) {
    process.stdout.on('error', () => {});
    process.stdout.write(page);
  } else {
    const { enableCompileCache } = await import('node:module');
    enableCompileCache?.();
    const { main } = await import('../dist/cli.js');
    await main();
  }
}
