/** Process exit codes, the contract in docs/exit-codes.md. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  auth: 4,
  internal: 70,
  interrupted: 130,
} as const;

/** One of the exit codes above. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Fields every vnodes error carries besides its message. */
export interface VnodesErrorInit {
  code: string;
  remediation?: string;
  exitCode?: ExitCodeValue;
  details?: string[];
  cause?: unknown;
}

/** Base of every failure vnodes reports on purpose; anything else is an internal error (exit 70). */
export class VnodesError extends Error {
  readonly code: string;
  readonly remediation: string | undefined;
  readonly exitCode: ExitCodeValue;
  readonly details: string[];

  constructor(message: string, init: VnodesErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.remediation = init.remediation;
    this.exitCode = init.exitCode ?? ExitCode.failed;
    this.details = init.details ?? [];
  }
}

/** Bad flags, values or files: the user can fix it by changing the command line (exit 2). */
export class UsageError extends VnodesError {
  constructor(message: string, remediation?: string, code = 'VNODES_USAGE') {
    super(message, { code, remediation, exitCode: ExitCode.usage });
  }
}

/** No credential, no subscription, or Azure said 401/403 (exit 4). */
export class AuthError extends VnodesError {
  constructor(message: string, init: Omit<VnodesErrorInit, 'exitCode'>) {
    super(message, { ...init, exitCode: ExitCode.auth });
  }
}

/** What Azure Resource Manager said, kept whole so the user sees ARM's own code and message. */
export interface ArmErrorInfo {
  armCode: string;
  statusCode: number | undefined;
  requestId: string | undefined;
  operation?: string;
}

/** An Azure call failed; keeps ARM's error code, HTTP status and request id. */
export class AzureError extends VnodesError {
  readonly arm: ArmErrorInfo;

  constructor(message: string, arm: ArmErrorInfo, init: Partial<VnodesErrorInit> = {}) {
    const auth = arm.statusCode === 401 || arm.statusCode === 403;
    super(message, {
      code: init.code ?? (auth ? 'VNODES_AZURE_AUTH' : 'VNODES_AZURE'),
      exitCode: init.exitCode ?? (auth ? ExitCode.auth : ExitCode.failed),
      remediation: init.remediation,
      details: init.details,
      cause: init.cause,
    });
    this.arm = arm;
  }
}

/** The user pressed Ctrl-C or the process got SIGTERM (exit 130). */
export class InterruptedError extends VnodesError {
  constructor(message = 'Interrupted.') {
    super(message, {
      code: 'VNODES_INTERRUPTED',
      exitCode: ExitCode.interrupted,
      remediation: 'Re-run the same command: vnodes resumes where it stopped.',
    });
  }
}

/** True for errors vnodes raised on purpose (as opposed to bugs). */
export function isVnodesError(error: unknown): error is VnodesError {
  return error instanceof VnodesError;
}

/** The exit code an error means: its own for VnodesErrors, 70 (internal) for anything else, which is a bug. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  return isVnodesError(error) ? error.exitCode : ExitCode.internal;
}
