import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { TranslateFileOptions, TranslateFileResult } from '../provider/translate-file.js';
import type { CommandModule } from './types.js';

type Options = Omit<TranslateFileOptions, 'text'> & { path: string };

async function readInput(path: string, cwd: string): Promise<string> {
  if (path === '-') {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  }
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Pass the path of a Pod or workload manifest, or - for stdin.',
    );
  }
}

/** `vnodes provider translate POD.yaml`: the container group the provider would create, offline. */
export const command: CommandModule<Options, TranslateFileResult> = {
  kind: 'provider-translate',
  configure(cmd: Command) {
    cmd
      .argument('<file>', 'a Pod or workload manifest (YAML or JSON; - for stdin)')
      .option('--region <name>', 'the ACI region the group would go to', 'eastus')
      .option('--node-name <name>', 'the virtual node the pod is bound to', 'virtual-node-aci-linux')
      .option('--subnet <id>', 'ACI subnet resource id (VNet mode: private IP, cluster DNS)')
      .option('--dns-ip <ip>', "the cluster's DNS service IP (kube-dns)")
      .addHelpText(
        'after',
        '\nExit codes: 0 it translates, 1 ACI would reject it (see rejections), 2 bad input.\nConfigMap and Secret values are read only by `provider run`; here they are listed under needs.',
      );
  },
  parse(args, raw) {
    return {
      path: args[0]!,
      file: args[0]!,
      region: String(raw.region).toLowerCase().replace(/\s+/g, ''),
      nodeName: String(raw.nodeName),
      ...(raw.subnet !== undefined ? { subnetId: String(raw.subnet) } : {}),
      ...(raw.dnsIp !== undefined ? { dnsServiceIp: String(raw.dnsIp) } : {}),
    };
  },
  async run(options, deps) {
    const { translateFile } = await import('../provider/translate-file.js');
    const { path, ...rest } = options;
    return translateFile({ ...rest, text: await readInput(path, deps.cwd) });
  },
  exitCode: (r) => (r.rejected ? ExitCode.failed : ExitCode.ok),
  render(r, style) {
    const lines: string[] = [];
    for (const item of r.items) {
      const ok = item.rejections.length === 0;
      lines.push(
        `${style.status(ok ? 'pass' : 'fail')} ${item.kind} ${item.namespace}/${item.name} → container group ${item.containerGroup.name}`,
      );
      for (const f of item.rejections)
        lines.push(
          `  ${style.status('fail')} ${f.rule} ${f.path}: ${f.message}${f.fix ? `\n      fix: ${f.fix}` : ''}`,
        );
      for (const f of item.warnings)
        lines.push(
          `  ${style.status('warn')} ${f.rule} ${f.path}: ${f.message}${f.fix ? `\n      fix: ${f.fix}` : ''}`,
        );
      if (item.lint.length)
        lines.push(
          `  lint (the add-on's connector): ${item.lint.map((f) => `${f.severity} ${f.rule} ${f.path}`).join('; ')}`,
        );
      if (item.needs.length)
        lines.push(
          `  needs: ${item.needs.map((n) => `${n.kind} ${n.namespace}/${n.name}${n.key ? `#${n.key}` : ''}`).join(', ')}`,
        );
      if (ok) lines.push(JSON.stringify(item.containerGroup.body, null, 2).replace(/^/gm, '  '));
    }
    for (const s of r.skipped) lines.push(`- skipped ${s.kind} ${s.name} (no pod template)`);
    return lines.join('\n') + '\n';
  },
};
