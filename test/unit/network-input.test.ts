import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError, VnodesError } from '../../src/errors.js';
import { assertSubnetName, parseSubnetCidr } from '../../src/network/input.js';
import { confirmWrite, type ConsentRequest } from '../../src/output/confirm.js';

describe('subnet names', () => {
  it.each([['virtual-node-aci'], ['a'], ['ACI_subnet.1'], ['x_'], ['9lives'], ['a'.repeat(80)]])(
    'accepts %j',
    (name) => {
      expect(assertSubnetName(name, '--name')).toBe(name);
    },
  );

  it.each<[string, RegExp]>([
    ['bad name', /Invalid subnet name "bad name"/],
    ['aci-', /ending with a letter, digit or '_'/],
    ['-aci', /starting with a letter or digit/],
    ['aci!', /Invalid subnet name/],
    ['', /Invalid subnet name ""/],
    ['a'.repeat(81), /1-80/],
    [
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci',
      /takes the subnet's name, not a resource id/,
    ],
  ])('rejects %j with one line (exit 2)', (name, message) => {
    const error = (() => {
      try {
        assertSubnetName(name, '--name');
      } catch (e) {
        return e;
      }
      return undefined;
    })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ exitCode: 2, code: 'VNODES_INVALID_SUBNET_NAME' });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.remediation).toMatch(/--name /);
  });

  it('suggests the name inside a pasted resource id', () => {
    expect(() =>
      assertSubnetName(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci',
        '--subnet-name',
      ),
    ).toThrow(expect.objectContaining({ remediation: 'Pass --subnet-name aci.' }));
  });
});

describe('subnet CIDRs', () => {
  it.each([
    ['10.241.0.0/24', '10.241.0.0/24'],
    [' 10.241.0.0/16 ', '10.241.0.0/16'],
    ['192.168.7.0/29', '192.168.7.0/29'],
  ])('accepts %j as %s', (text, cidr) => expect(parseSubnetCidr(text).cidr).toBe(cidr));

  it.each<[string, RegExp]>([
    ['10.241.0.0', /missing the prefix length/],
    ['10.241.0.1/24', /host bits are set; did you mean 10.241.0.0\/24\?/],
    ['fd00::/64', /IPv4 only/],
    ['10.0.0.0/30', /smaller than Azure's smallest subnet \(\/29\)/],
    ['10.0.0.0/33', /prefix length must be 0-32/],
    ['ten.zero/8', /is not an IPv4 address/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSubnetCidr(text)).toThrow(message);
    expect(() => parseSubnetCidr(text)).toThrow(UsageError);
  });
});

describe('consent to write (confirmWrite)', () => {
  const base = (over: Partial<ConsentRequest> = {}): ConsentRequest & { asked: () => string } => {
    let asked = '';
    return {
      action: 'create subnet aci (10.1.0.0/24) in VNet v',
      yes: false,
      dryRun: false,
      terminal: { interactive: false, color: false },
      stderr: { write: (s: string) => (asked += s) },
      asked: () => asked,
      ...over,
    };
  };
  const tty = (answer?: string) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    if (answer === undefined) stdin.end();
    else stdin.end(`${answer}\n`);
    return stdin;
  };

  it('needs nothing for a dry run or with --yes', async () => {
    await expect(confirmWrite(base({ dryRun: true }))).resolves.toBeUndefined();
    await expect(confirmWrite(base({ yes: true }))).resolves.toBeUndefined();
  });

  it('fails with exit 2 naming --yes when no one can be asked', async () => {
    const error = await confirmWrite(base({ stdin: tty('y') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2, code: 'VNODES_CONFIRMATION_REQUIRED' });
    expect((error as UsageError).remediation).toContain('--yes');
    // An interactive stderr is not enough: the answer must come from a terminal too.
    const piped = Object.assign(new PassThrough(), { isTTY: false });
    await expect(
      confirmWrite(base({ terminal: { interactive: true, color: false }, stdin: piped })),
    ).rejects.toMatchObject({ exitCode: 2 });
  });

  it.each([['y'], ['yes'], [' Y ']])('asks at a terminal and goes ahead on %j', async (answer) => {
    const request = base({ terminal: { interactive: true, color: false }, stdin: tty(answer) });
    await expect(confirmWrite(request)).resolves.toBeUndefined();
    expect(request.asked()).toBe('Create subnet aci (10.1.0.0/24) in VNet v? [y/N] ');
  });

  it.each([['n'], [''], ['maybe'], [undefined]])('stops on %j (exit 1, nothing changed)', async (answer) => {
    const error = await confirmWrite(base({ terminal: { interactive: true, color: false }, stdin: tty(answer) })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VnodesError);
    expect(error).toMatchObject({ exitCode: 1, code: 'VNODES_DECLINED' });
  });
});
