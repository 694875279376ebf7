import { describe, expect, it } from 'vitest';
import { adaptiveLimit } from '../../src/util/adaptive-limit.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('adaptiveLimit (AIMD)', () => {
  it('runs at most `limit` tasks at once', async () => {
    const limit = adaptiveLimit({ initial: 3 });
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 8 }, deferred);
    const runs = gates.map((g) =>
      limit.run(async () => {
        peak = Math.max(peak, ++active);
        await g.promise;
        active--;
      }),
    );
    await Promise.resolve();
    expect(active).toBe(3);
    for (const g of gates) g.resolve();
    await Promise.all(runs);
    expect(peak).toBe(3);
  });

  it.each([
    [64, [32, 16, 8, 4, 2, 1, 1]],
    [5, [2, 1, 1]],
  ])('halves from %i on each throttled window, never below 1', (initial, expected) => {
    const limit = adaptiveLimit({ initial });
    const seen = expected.map(() => {
      limit.backOff(limit.epoch());
      return limit.limit;
    });
    expect(seen).toEqual(expected);
  });

  it('halves once for a burst of 429s seen by tasks of the same window', () => {
    const limit = adaptiveLimit({ initial: 16 });
    const epoch = limit.epoch();
    for (let i = 0; i < 10; i++) limit.backOff(epoch);
    expect(limit.limit).toBe(8);
  });

  it('grows back by about one slot per window of unthrottled calls, up to max', async () => {
    const limit = adaptiveLimit({ initial: 8, max: 8 });
    limit.backOff(limit.epoch());
    expect(limit.limit).toBe(4);
    for (let i = 0; i < 5; i++) await limit.run(async () => undefined);
    expect(limit.limit).toBe(5);
    for (let i = 0; i < 100; i++) await limit.run(async () => undefined);
    expect(limit.limit).toBe(8);
  });
});
