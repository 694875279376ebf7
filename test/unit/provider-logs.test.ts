import { describe, expect, it } from 'vitest';
import { newLines, since, type FollowState } from '../../src/provider/logs.js';

const at = (s: number, text: string) => `2026-12-01T00:00:${String(s).padStart(2, '0')}.000Z ${text}`;

describe('provider logs -f: no line twice', () => {
  it('prints only what is new across polls, lines sharing a timestamp included', () => {
    const state: FollowState = { atLast: 0, printed: 0 };
    expect(newLines([at(1, 'a'), at(2, 'b'), at(2, 'c')].join('\n') + '\n', state)).toEqual([
      at(1, 'a'),
      at(2, 'b'),
      at(2, 'c'),
    ]);
    expect(newLines([at(1, 'a'), at(2, 'b'), at(2, 'c'), at(2, 'd'), at(3, 'e')].join('\n'), state)).toEqual([
      at(2, 'd'),
      at(3, 'e'),
    ]);
    expect(newLines([at(1, 'a'), at(3, 'e')].join('\n'), state)).toEqual([]);
  });
  it('a restarted container (its log begins again) prints its new lines', () => {
    const state: FollowState = { atLast: 0, printed: 0 };
    newLines([at(1, 'run 1'), at(5, 'exit 1')].join('\n'), state);
    expect(newLines([at(9, 'run 2')].join('\n'), state)).toEqual([at(9, 'run 2')]);
  });
  it('without timestamps, counts lines', () => {
    const state: FollowState = { atLast: 0, printed: 0 };
    expect(newLines('a\nb\n', state)).toEqual(['a', 'b']);
    expect(newLines('a\nb\nc\n', state)).toEqual(['c']);
    expect(newLines('x\n', state)).toEqual(['x']);
  });
  it('--since keeps recent lines', () => {
    expect(since([at(1, 'old'), at(9, 'new')], Date.parse('2026-12-01T00:00:05Z'))).toEqual([at(9, 'new')]);
  });
});
