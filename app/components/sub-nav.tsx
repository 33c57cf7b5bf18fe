import { NavLink } from '@remix-run/react';

/** A row of buttons between the pages of one area (the committee's voting or judging pages). */
export function SubNav({ label, links }: { label: string; links: { to: string; label: string }[] }) {
  return (
    <nav className="flex flex-wrap gap-2" aria-label={label}>
      {links.map((link) => (
        <NavLink key={link.to} to={link.to} end className={({ isActive }) => (isActive ? 'btn-primary' : 'btn-secondary')}>
          {link.label}
        </NavLink>
      ))}
    </nav>
  );
}
