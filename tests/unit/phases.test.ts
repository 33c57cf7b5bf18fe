import { describe, expect, it } from 'vitest';
import { phaseWindows } from '#seeds/factories';
import { currentPhase } from '~/features/competitions/phases';

const start = new Date('2026-10-15T00:00:00Z');
const phases = phaseWindows(start, { submission: 10, screening: 5 });

describe('the current phase comes from the dates', () => {
  it('is null before the competition opens', () => {
    expect(currentPhase(phases, new Date('2026-10-14T23:59:59Z'))).toBeNull();
  });
  it('is the window containing now, start inclusive and end exclusive', () => {
    expect(currentPhase(phases, start)).toBe('submission');
    expect(currentPhase(phases, new Date('2026-10-24T23:59:59Z'))).toBe('submission');
    expect(currentPhase(phases, new Date('2026-10-25T00:00:00Z'))).toBe('screening');
  });
  it('is closed after the last window', () => {
    expect(currentPhase(phases, new Date('2030-01-01T00:00:00Z'))).toBe('closed');
  });
  it('does not depend on the order phases are stored in', () => {
    const shuffled = [...phases].reverse();
    expect(currentPhase(shuffled, new Date('2026-10-26T00:00:00Z'))).toBe('screening');
  });
});
