/** An indicator's time series for a territory, its department and France, as rows by period and as chart lines. */

export interface SeriesPoint {
  periode: string;
  valeur?: number | null;
  secret?: string | null;
}

export interface Line {
  label: string;
  points: SeriesPoint[];
}

export interface SeriesRow {
  periode: string;
  /** One cell per line, in the lines' order; undefined where that line has no value for the period. */
  values: (SeriesPoint | undefined)[];
}

/** Every period any line has, oldest first, with each line's point for it: the chart's table equivalent. */
export function seriesRows(lines: Line[]): SeriesRow[] {
  const periods = [...new Set(lines.flatMap((line) => line.points.map((point) => point.periode)))].sort();
  const byPeriod = lines.map((line) => new Map(line.points.map((point) => [point.periode, point])));
  return periods.map((periode) => ({ periode, values: byPeriod.map((points) => points.get(periode)) }));
}

/**
 * About five round graduations (1, 2 or 5 times a power of ten) covering [minimum, maximum]; the axis starts at
 * zero for positive values, so that lines are not read as steeper than they are.
 */
export function axisTicks(minimum: number, maximum: number, count = 5): number[] {
  const low = Math.min(0, minimum);
  const high = maximum > low ? maximum : low + 1;
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick < high + step; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= high) break;
  }
  return ticks;
}
