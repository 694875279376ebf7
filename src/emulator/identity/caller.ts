/**
 * The identity clients of the emulator act as: the system-assigned managed identity of the machine the emulator runs
 * on. The managed identity endpoint issues its tokens, Microsoft Graph knows it, and ARM names it in 403s.
 */
export const EMULATOR_IDENTITY = {
  objectId: '00000000-0000-0000-0000-00000000ca11',
  clientId: '00000000-0000-0000-0000-0000000c1e47',
  displayName: 'vnodes-emulator',
} as const;
