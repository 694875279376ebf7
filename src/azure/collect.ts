import { armCall } from './arm-errors.js';

/** Reads every page of an SDK list into an array, converting a failure as `armCall` does. */
export async function collect<T>(what: string, list: () => AsyncIterable<T>): Promise<T[]> {
  return armCall(what, async () => {
    const out: T[] = [];
    for await (const item of list()) out.push(item);
    return out;
  });
}
