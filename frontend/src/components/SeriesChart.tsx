/**
 * An indicator over time as a line chart (SVG, loaded on the indicator screen only): one line per territory,
 * told apart by colour and by dash and marker shape, so that it reads in grey too. The same values are in a
 * table next to it; the drawing is described by its label.
 */
import { axisTicks, type Line, seriesRows } from "../lib/series";

const WIDTH = 640;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 72 };
/** Bleu France, the DSFR's warm illustrative "macaron" and grey: told apart in colour and in contrast. */
const STYLES = [
  { colour: "#000091", dash: undefined, marker: "circle" },
  { colour: "#b34000", dash: "8 4", marker: "square" },
  { colour: "#3a3a3a", dash: "2 4", marker: "triangle" },
] as const;

function Marker({ shape, x, y, colour }: { shape: string; x: number; y: number; colour: string }) {
  if (shape === "square") return <rect x={x - 4} y={y - 4} width={8} height={8} fill={colour} />;
  if (shape === "triangle")
    return <polygon points={`${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}`} fill={colour} />;
  return <circle cx={x} cy={y} r={4.5} fill={colour} />;
}

export default function SeriesChart({
  lines,
  format,
  label,
}: {
  lines: Line[];
  format: (value: number) => string;
  label: string;
}) {
  const rows = seriesRows(lines);
  const values = lines
    .flatMap((line) => line.points.map((point) => point.valeur))
    .filter((value): value is number => typeof value === "number");
  if (rows.length === 0 || values.length === 0) return null;
  const ticks = axisTicks(Math.min(...values), Math.max(...values));
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (index: number) =>
    MARGIN.left + (rows.length === 1 ? plotWidth / 2 : (index * plotWidth) / (rows.length - 1));
  const y = (value: number) => MARGIN.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  // Label every period while they fit, else about eight of them.
  const labelEvery = Math.max(1, Math.ceil(rows.length / 8));

  return (
    <figure className="fne-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="fne-chart__drawing" role="img" aria-label={label}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#dddddd" />
            <text
              x={MARGIN.left - 8}
              y={y(tick)}
              textAnchor="end"
              dominantBaseline="middle"
              fontSize="12"
              fill="#3a3a3a"
            >
              {format(tick)}
            </text>
          </g>
        ))}
        {rows.map((row, index) =>
          index % labelEvery === 0 || index === rows.length - 1 ? (
            <text
              key={row.periode}
              x={x(index)}
              y={HEIGHT - MARGIN.bottom + 20}
              textAnchor="middle"
              fontSize="12"
              fill="#3a3a3a"
            >
              {row.periode}
            </text>
          ) : null,
        )}
        {lines.map((line, lineIndex) => {
          const style = STYLES[lineIndex % STYLES.length];
          const points = rows.flatMap((row, index) => {
            const value = row.values[lineIndex]?.valeur;
            return typeof value === "number" ? [{ x: x(index), y: y(value) }] : [];
          });
          return (
            <g key={line.label} data-line={line.label}>
              <polyline
                points={points.map((point) => `${point.x},${point.y}`).join(" ")}
                fill="none"
                stroke={style.colour}
                strokeWidth={2.5}
                strokeDasharray={style.dash}
              />
              {points.map((point) => (
                <Marker
                  key={`${point.x}`}
                  shape={style.marker}
                  x={point.x}
                  y={point.y}
                  colour={style.colour}
                />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="fne-legend fne-legend--inline" aria-label="Légende du graphique">
          {lines.map((line, index) => {
            const style = STYLES[index % STYLES.length];
            return (
              <li key={line.label}>
                <svg width="36" height="12" aria-hidden="true" className="fne-legend__line">
                  <line
                    x1="0"
                    x2="36"
                    y1="6"
                    y2="6"
                    stroke={style.colour}
                    strokeWidth="2.5"
                    strokeDasharray={style.dash}
                  />
                  <Marker shape={style.marker} x={18} y={6} colour={style.colour} />
                </svg>
                {line.label}
              </li>
            );
          })}
        </ul>
      </figcaption>
    </figure>
  );
}
