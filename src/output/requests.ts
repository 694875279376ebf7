import type { RecordedRequest } from '../azure/record.js';

/** A recorded write as people read it in a dry run: the request line, its conditional headers, then the body. */
export function renderRequest(request: RecordedRequest): string[] {
  return [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
    ...(request.body === undefined ? [] : [JSON.stringify(request.body, null, 2)]),
  ];
}

/** A dry run's whole plan: a headline, then each write separated by a blank line. */
export function renderDryRun(requests: readonly RecordedRequest[]): string[] {
  if (!requests.length) return ['Dry run: nothing to change.'];
  return [
    `Dry run: vnodes would make ${requests.length} write(s), and made none:`,
    ...requests.flatMap((r) => ['', ...renderRequest(r)]),
  ];
}
