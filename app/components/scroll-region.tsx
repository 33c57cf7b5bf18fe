import type { ReactNode } from 'react';

/**
 * A wide table on a phone scrolls sideways inside this box. The box is focusable and named, so
 * someone on a keyboard can reach it and scroll it with the arrow keys (axe:
 * scrollable-region-focusable), and a screen reader says what it holds.
 */
export function ScrollRegion({ label, className = '', children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-x-auto ${className}`}>
      {children}
    </div>
  );
}
