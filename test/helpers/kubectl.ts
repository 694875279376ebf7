// The real kubectl (1.32) against an emulated API server, through a kubeconfig file in a private temporary HOME.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);

/**
 * Runs kubectl with `dir/config` as kubeconfig; HOME is `dir` so its discovery cache starts empty and stays private.
 */
export const kubectlIn =
  (dir: () => string) =>
  (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', join(dir(), 'config'), ...args],
        { env: { HOME: dir(), PATH: process.env.PATH } },
        (err, stdout, stderr) =>
          resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
      );
    });
