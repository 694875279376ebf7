/**
 * A pass that runs at most once per tick however many changes ask for it (the scheduler's and the controllers'
 * loops): `kick()` queues it, `cancel()` drops a queued one. A failing pass is reported as a process warning; the
 * change that caused the failure asks for another pass.
 */
export function coalesced(name: string, pass: () => void): { kick: () => void; cancel: () => void } {
  let queued: NodeJS.Immediate | undefined;
  return {
    kick: () => {
      queued ??= setImmediate(() => {
        queued = undefined;
        try {
          pass();
        } catch (err) {
          process.emitWarning(`${name} pass failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    },
    cancel: () => {
      if (queued !== undefined) clearImmediate(queued);
      queued = undefined;
    },
  };
}
