/**
 * Small charts drawn as SVG on the server (no chart library, no script): horizontal bars and a
 * scatter plot. Texts come in already translated; numbers already formatted.
 */
export function BarChart({ rows, label }: { rows: { name: string; value: number; display: string }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 28;
  const height = rows.length * rowHeight + 8;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 600 ${height}`} className="w-full" preserveAspectRatio="xMinYMin meet">
      {rows.map((row, i) => {
        const y = i * rowHeight + 4;
        const width = Math.max(2, (row.value / max) * 330);
        return (
          <g key={row.name}>
            <text x={0} y={y + 18} fontSize={14} fill="#44403c">
              {row.name}
            </text>
            <rect x={170} y={y + 4} width={width} height={18} rx={3} fill="#17806d" />
            <text x={176 + width} y={y + 18} fontSize={13} fill="#1c1917">
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
  const maxX = Math.max(1, ...points.map((p) => p.x));
  const sx = (x: number) => 50 + (x / maxX) * 520;
  const sy = (y: number) => 270 - ((y - 1) / 9) * 250;
  return (
    <svg role="img" aria-label={label} viewBox="0 0 600 310" className="w-full">
      <line x1={50} y1={270} x2={575} y2={270} stroke="#a8a29e" />
      <line x1={50} y1={20} x2={50} y2={270} stroke="#a8a29e" />
      {[1, 4, 7, 10].map((v) => (
        <text key={v} x={40} y={sy(v) + 4} fontSize={11} textAnchor="end" fill="#57534e">
          {v}
        </text>
      ))}
      <text x={312} y={300} fontSize={13} textAnchor="middle" fill="#44403c">
        {xLabel}
      </text>
      <text x={14} y={145} fontSize={13} textAnchor="middle" fill="#44403c" transform="rotate(-90 14 145)">
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
