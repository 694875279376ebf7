#!/usr/bin/env node
// Shim: check the Node version before loading anything that needs 22, then hand over to dist/cli.js.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `vnodes needs Node.js 22.12 or newer; this is ${process.version}. Install Node 22 (https://nodejs.org) or run it through npm (npx vnodes).\n`,
  );
  process.exit(2);
}
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../dist/cli.js');
await main();
