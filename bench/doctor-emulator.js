// The emulator doctor.bench.js measures against, in a process of its own (started through util.js'
// startEmulatorProcess). Like `vnodes emulator start` it prints `{type:'serving', env}`; it also times each ARM
// request (the log gets an entry when the answer is sent, with its duration) and, for each `report` line on stdin,
// prints the ARM requests since the last report, with start and end on this process's clock, and the count of
// Kubernetes requests. Its connector is the emulator's own, not vnodes' provider, whose ARM reads would mix with
// doctor's. Usage: node bench/doctor-emulator.js SCENARIO LATENCY_MS
import { createInterface } from 'node:readline';
import { startEmulator } from '../dist/emulator/index.js';

const [scenario, latency] = process.argv.slice(2);
const emulator = await startEmulator({ scenario, latencyMs: Number(latency), connectorReconcileMs: 50 });
const kube = await emulator.kube();
let arm = [];
const add = emulator.requests.add.bind(emulator.requests);
emulator.requests.add = (entry) => {
  const end = performance.now();
  arm.push({
    operation: entry.operation,
    start: performance.timeOrigin + end - entry.durationMs,
    end: performance.timeOrigin + end,
  });
  add(entry);
};
let kubeSeen = kube.requests.length;
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
print({ type: 'serving', env: emulator.env() });
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'report') continue;
  print({ type: 'report', arm, kubernetes: kube.requests.length - kubeSeen });
  arm = [];
  kubeSeen = kube.requests.length;
}
await emulator.close();
