// Secret values in a container group body never reach output; placeholders (`<secret ns/name#key>`) stay readable.
import type { ContainerGroup } from '@azure/arm-containerinstance';

const hide = (value: string): string => (value.startsWith('<') ? value : '<redacted>');

/** A copy of the body with secureValues, secret volume contents, storage keys and registry passwords hidden. */
export function redactBody(body: ContainerGroup): ContainerGroup {
  const copy = structuredClone(body);
  for (const c of [...copy.containers, ...(copy.initContainers ?? [])])
    for (const e of c.environmentVariables ?? []) if (e.secureValue !== undefined) e.secureValue = hide(e.secureValue);
  for (const v of copy.volumes ?? []) {
    if (v.azureFile?.storageAccountKey) v.azureFile.storageAccountKey = hide(v.azureFile.storageAccountKey);
    if (v.secret) v.secret = Object.fromEntries(Object.keys(v.secret).map((k) => [k, '<redacted>']));
  }
  for (const r of copy.imageRegistryCredentials ?? []) if (r.password) r.password = hide(r.password);
  return copy;
}
