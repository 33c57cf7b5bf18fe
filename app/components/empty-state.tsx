import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';

/**
 * What an empty list says (docs/design.md, "Empty states"): what is missing, one sentence on what
 * to do next or when things will appear, and at most one way onward. The caller passes `action`
 * only when the viewer may take it (submission open, the right role), so nobody is sent to a page
 * that refuses them.
 *
 * `plain` drops the card, for an empty state inside a section that is already a card.
 */
export function EmptyState({
  title,
  next,
  action,
  plain = false,
}: {
  title: ReactNode;
  next?: ReactNode;
  action?: { to: string; label: ReactNode; secondary?: boolean } | null;
  plain?: boolean;
}) {
  return (
    <div className={plain ? 'space-y-2' : 'card space-y-2'} data-testid="empty-state">
      <p className="text-lg font-semibold text-stone-800">{title}</p>
      {next ? <p className="text-stone-700">{next}</p> : null}
      {action ? (
        <p className="pt-1">
          <Link to={action.to} className={action.secondary ? 'btn-secondary' : 'btn-primary'}>
            {action.label}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
