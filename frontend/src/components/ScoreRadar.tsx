import { formatNumber } from "../lib/format";

export interface RadarScore {
  dimension: string;
  libelle: string;
  pourcentage: number;
  niveau_libelle?: string;
}

export interface RadarChange {
  dimension: string;
  avant: number;
  apres: number;
  ecart: number;
}

interface Props {
  scores: RadarScore[];
  /** The same person's previous phase, drawn underneath and tabulated as "avant". */
  changes?: RadarChange[];
  title: string;
}

const SIZE = 360;
const CENTRE = SIZE / 2;
const RADIUS = 120;
const RINGS = [25, 50, 75, 100];

function point(index: number, count: number, percent: number): [number, number] {
  // The first axis points up; the others go clockwise.
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  const distance = (RADIUS * percent) / 100;
  return [CENTRE + distance * Math.cos(angle), CENTRE + distance * Math.sin(angle)];
}

// Scores are drawn within the rim whatever they say; labels sit outside it.
/** A label in lines of about `width` characters, cut between words only. */
export function wrapLabel(label: string, width = 20): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const polygon = (values: number[]) =>
  values
    .map((value, index) =>
      point(index, values.length, Math.max(0, Math.min(100, value)))
        .map((c) => c.toFixed(1))
        .join(","),
    )
    .join(" ");

/**
 * The toile: one axis per dimension, 0 at the centre, 100 % at the rim. The drawing is an image whose text
 * alternative is the table right after it (RGAA 1.1 / 4.x: charts have a data equivalent).
 */
export function ScoreRadar({ scores, changes = [], title }: Props) {
  const before = new Map(changes.map((change) => [change.dimension, change]));
  const hasBefore = scores.some((score) => before.has(score.dimension));
  // Fewer than three axes make no polygon: the table alone carries the scores.
  const drawn = scores.length >= 3;
  const tableId = `radar-${title.replace(/\W+/g, "-")}`;
  return (
    <figure className="fne-radar fr-mb-4w">
      {drawn ? (
        <svg
          viewBox={`-110 0 ${SIZE + 220} ${SIZE}`}
          role="img"
          aria-labelledby={`${tableId}-title`}
          aria-describedby={tableId}
          className="fne-radar__chart"
        >
          <title id={`${tableId}-title`}>{title}</title>
          {RINGS.map((ring) => (
            <polygon key={ring} points={polygon(scores.map(() => ring))} fill="none" stroke="#ddd" />
          ))}
          {scores.map((score, index) => {
            const [x, y] = point(index, scores.length, 100);
            const [lx, ly] = point(index, scores.length, 128);
            return (
              <g key={score.dimension}>
                <line x1={CENTRE} y1={CENTRE} x2={x} y2={y} stroke="#ccc" />
                <text
                  x={lx}
                  y={ly}
                  fontSize="11"
                  textAnchor={Math.abs(lx - CENTRE) < 5 ? "middle" : lx > CENTRE ? "start" : "end"}
                  dominantBaseline="middle"
                  fill="#161616"
                >
                  {/* Whole labels on up to three lines, centred on the axis' end: none is cut. */}
                  {wrapLabel(score.libelle).map((line, lineIndex, lines) => (
                    <tspan
                      key={lineIndex}
                      x={lx}
                      dy={lineIndex === 0 ? `${-0.6 * (lines.length - 1)}em` : "1.2em"}
                    >
                      {line}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
          {hasBefore && (
            <polygon
              data-testid="radar-before"
              points={polygon(scores.map((score) => before.get(score.dimension)?.avant ?? 0))}
              fill="none"
              stroke="#666"
              strokeDasharray="4 3"
              strokeWidth="2"
            />
          )}
          <polygon
            data-testid="radar-now"
            points={polygon(scores.map((score) => score.pourcentage))}
            fill="rgba(0, 0, 145, 0.25)"
            stroke="#000091"
            strokeWidth="2"
          />
        </svg>
      ) : null}
      {drawn && (
        <figcaption className="fr-mt-1w">
          {hasBefore ? "Trait plein : cette séance ; pointillés : la séance précédente. " : ""}
          Les mêmes scores, en tableau :
        </figcaption>
      )}
      <div className="fr-table fr-table--no-caption">
        <table id={tableId}>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Compétence</th>
              <th scope="col">Score</th>
              <th scope="col">Niveau</th>
              {hasBefore && <th scope="col">Avant</th>}
              {hasBefore && <th scope="col">Évolution</th>}
            </tr>
          </thead>
          <tbody>
            {scores.map((score) => {
              const change = before.get(score.dimension);
              return (
                <tr key={score.dimension}>
                  <th scope="row">{score.libelle}</th>
                  <td>{formatNumber(score.pourcentage)} %</td>
                  <td>{score.niveau_libelle ?? ""}</td>
                  {hasBefore && <td>{change ? `${formatNumber(change.avant)} %` : "—"}</td>}
                  {hasBefore && (
                    <td>
                      {change ? `${change.ecart > 0 ? "+" : ""}${formatNumber(change.ecart)} points` : "—"}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
