/**
 * Small charts drawn on the server (no chart library, no script): horizontal bars in HTML and a
 * scatter plot in SVG. Texts come in already translated; numbers already formatted.
 */
/**
 * Horizontal bars as HTML, not SVG: an SVG shrinks its text with its width (14 units became 10px
 * on a phone), while these labels keep the page's type size and wrap when long. The bar's width
 * is the value's share of the largest.
 */
export function BarChart({ rows, label }: { rows: { name: string; value: number; display: string }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ul aria-label={label} className="max-w-xl space-y-2">
      {rows.map((row) => (
        <li key={row.name} className="grid grid-cols-[minmax(0,9rem)_1fr] items-center gap-x-3 gap-y-1">
          <span className="text-stone-800">{row.name}</span>
          <span className="flex min-w-0 items-center gap-2">
            <span aria-hidden="true" className="block h-4 shrink-0 rounded-sm bg-brand-600" style={{ width: `${Math.max(1, (row.value / max) * 60)}%` }} />
            <span className="whitespace-nowrap">{row.display}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ScatterChart({
  points,
  label,
  xLabel,
  yLabel,
}: {
  points: { x: number; y: number; funded: boolean; name: string }[];
  label: string;
  xLabel: string;
  yLabel: string;
}) {
  const xs = points.map((p) => p.x);
  const minX = Math.min(...xs, 0);
  const maxX = Math.max(minX + 1, ...xs);
  const sx = (x: number) => 50 + ((x - minX) / (maxX - minX)) * 350;
  const sy = (y: number) => 250 - ((y - 1) / 9) * 230;
  const xTicks = [minX, Math.round((minX + maxX) / 2), maxX];
  return (
    <svg role="img" aria-label={label} viewBox="0 0 420 310" className="w-full max-w-xl">
      <line x1={50} y1={250} x2={405} y2={250} stroke="#a8a29e" />
      <line x1={50} y1={20} x2={50} y2={250} stroke="#a8a29e" />
      {[1, 4, 7, 10].map((v) => (
        <text key={v} x={42} y={sy(v) + 5} fontSize={21} textAnchor="end" fill="#57534e">
          {v}
        </text>
      ))}
      {xTicks.map((v) => (
        <text key={v} x={sx(v)} y={274} fontSize={21} textAnchor="middle" fill="#57534e">
          {v}
        </text>
      ))}
      <text x={228} y={302} fontSize={21} textAnchor="middle" fill="#44403c">
        {xLabel}
      </text>
      <text x={14} y={135} fontSize={21} textAnchor="middle" fill="#44403c" transform="rotate(-90 14 135)">
        {yLabel}
      </text>
      {points.map((p) => (
        <circle key={p.name} cx={sx(p.x)} cy={sy(p.y)} r={6} fill={p.funded ? '#17806d' : '#ffffff'} stroke="#0c564a" strokeWidth={1.5}>
          <title>{p.name}</title>
        </circle>
      ))}
    </svg>
  );
}
