/**
 * Small charts drawn as SVG on the server (no chart library, no script): horizontal bars and a
 * scatter plot. Texts come in already translated; numbers already formatted.
 */
/** Labels fit the 130-unit column: a Chinese character takes about two Latin letters' room. */
function fitLabel(name: string, room = 14): string {
  let used = 0;
  let out = '';
  for (const char of name) {
    used += /[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 2 : 1;
    if (used > room) return `${out}…`;
    out += char;
  }
  return out;
}

export function BarChart({ rows, label }: { rows: { name: string; value: number; display: string }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 30;
  const height = rows.length * rowHeight + 8;
  // Drawn narrow so that labels stay readable when a phone shrinks it to its width.
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 420 ${height}`} className="w-full max-w-xl" preserveAspectRatio="xMinYMin meet">
      {rows.map((row, i) => {
        const y = i * rowHeight + 4;
        const width = Math.max(2, (row.value / max) * 170);
        return (
          <g key={row.name}>
            <text x={0} y={y + 19} fontSize={14} fill="#44403c">
              {fitLabel(row.name)}
            </text>
            <rect x={130} y={y + 5} width={width} height={18} rx={3} fill="#17806d" />
            <text x={136 + width} y={y + 19} fontSize={14} fill="#1c1917">
              {row.display}
            </text>
          </g>
        );
      })}
    </svg>
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
    <svg role="img" aria-label={label} viewBox="0 0 420 300" className="w-full max-w-xl">
      <line x1={50} y1={250} x2={405} y2={250} stroke="#a8a29e" />
      <line x1={50} y1={20} x2={50} y2={250} stroke="#a8a29e" />
      {[1, 4, 7, 10].map((v) => (
        <text key={v} x={42} y={sy(v) + 5} fontSize={14} textAnchor="end" fill="#57534e">
          {v}
        </text>
      ))}
      {xTicks.map((v) => (
        <text key={v} x={sx(v)} y={270} fontSize={14} textAnchor="middle" fill="#57534e">
          {v}
        </text>
      ))}
      <text x={228} y={294} fontSize={15} textAnchor="middle" fill="#44403c">
        {xLabel}
      </text>
      <text x={14} y={135} fontSize={15} textAnchor="middle" fill="#44403c" transform="rotate(-90 14 135)">
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
