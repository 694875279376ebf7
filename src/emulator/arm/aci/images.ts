// What an emulated container "does", read from its image name. The conventions are the emulator's (documented in
// docs/emulator.md, "Container groups"): real ACI runs whatever the image says; here the image says it in its name.

/** How a container behaves once ACI has pulled and started it. */
export interface Workload {
  /** The image cannot be pulled after the group was accepted: Waiting with Failed/BackOff events, pulls retried. */
  pullFails: boolean;
  /** Exits with this code after the run time; undefined: runs until deleted or stopped. */
  exitCode?: number;
  /** ACI's detail status of the terminated state when not the usual Completed/Error ('OOMKilled'). */
  reason?: string;
  /** vnodes' probe (`emulator/probe`): prints its steps' results as the emulated network decides (probe.ts). */
  probe?: boolean;
}

/** Registries ACI can reach in the emulated cloud; an image on any other host is InaccessibleImage at PUT. */
const KNOWN_REGISTRIES: readonly RegExp[] = [
  /^docker\.io$/,
  /^index\.docker\.io$/,
  /^registry-1\.docker\.io$/,
  /^mcr\.microsoft\.com$/,
  /\.azurecr\.io$/,
  /^ghcr\.io$/,
  /^quay\.io$/,
  /^registry\.k8s\.io$/,
  /^k8s\.gcr\.io$/,
  /(^|\.)gcr\.io$/,
  /\.pkg\.dev$/,
  /^public\.ecr\.aws$/,
];

/**
 * The registry host of an image reference, as Docker reads it: the first path segment when it has a '.' or ':' or
 * is 'localhost', else Docker Hub ('nginx', 'library/nginx', 'emulator/exit:3').
 */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

/** True when the image's registry is one the emulated ACI can pull from. */
export const reachableRegistry = (image: string): boolean => {
  const host = registryOf(image).replace(/:\d+$/, '');
  return KNOWN_REGISTRIES.some((r) => r.test(host));
};

/** The repository and tag of a Docker Hub image in the `emulator/` namespace, or undefined for any other image. */
function emulatorImage(image: string): { repo: string; tag: string | undefined } | undefined {
  const m =
    /^(?:(?:docker\.io|index\.docker\.io)\/)?emulator\/([a-z0-9-]+)(?::([\w.-]+))?(?:@sha256:[0-9a-f]+)?$/i.exec(
      image.trim(),
    );
  return m === null ? undefined : { repo: m[1]!.toLowerCase(), tag: m[2] };
}

/**
 * The image whose behaviour `image` has: the `as` of the first scenario rule whose glob (`*` any run of characters,
 * case-insensitive) matches it, else the image itself.
 */
export function behaviourImage(image: string, rules: readonly { image: string; as: string }[]): string {
  const matches = (glob: string): boolean =>
    new RegExp(
      `^${glob
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(image);
  return rules.find((r) => matches(r.image))?.as ?? image;
}

/** A whole-number tag as an exit code (0..255), or the fallback. */
const codeFrom = (tag: string | undefined, fallback: number): number => {
  const n = tag === undefined ? Number.NaN : Number(tag);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : fallback;
};

/**
 * The behaviour an image asks for:
 * - `emulator/exit:N` exits with N after the run time (`emulator/exit` and `emulator/exit:latest`: 0);
 * - `emulator/crashloop[:N]` exits with N (default 1) after the run time, so restartPolicy Always and OnFailure
 *   restart it with a growing back-off and restartCount counts up;
 * - `emulator/oom` is killed for running out of memory: exit code 137, detail status OOMKilled;
 * - `emulator/pull-backoff` is accepted, then its pulls fail (Failed and BackOff events), the container Waiting;
 * - `emulator/probe` prints vnodes' probe lines (probe.ts) and exits 0 after the run time;
 * - anything else runs until it is deleted (an unreachable registry never gets this far: InaccessibleImage).
 * An init container that would run forever ends with 0 after the run time instead, since nothing else could start.
 */
export function workloadOf(image: string, init = false): Workload {
  const e = emulatorImage(image);
  const ends = (exitCode: number, reason?: string): Workload => ({
    pullFails: false,
    exitCode,
    ...(reason === undefined ? {} : { reason }),
  });
  switch (e?.repo) {
    case 'exit':
      return ends(codeFrom(e.tag, 0));
    case 'crashloop':
      return ends(codeFrom(e.tag, 1));
    case 'oom':
      return ends(137, 'OOMKilled');
    case 'pull-backoff':
      return { pullFails: true };
    case 'probe':
      return { ...ends(0), probe: true };
    default:
      return init ? ends(0) : { pullFails: false };
  }
}
