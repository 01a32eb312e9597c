/** The equity chart's data: points in time, and the lines it is read against. */
export interface ChartLine {
  id: 'dailyFloor' | 'maxFloor' | 'target' | 'initial';
  value: number;
}

export interface ChartModel {
  points: [number, number][];
  lines: ChartLine[];
  min: number;
  max: number;
}

const toNumber = (value: string | null | undefined) => {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

/**
 * Points in time order (several events may share a timestamp: the last one counts), the current
 * floors and target as horizontal lines, and a value range that shows all of them with a margin.
 */
export function chartModel(
  series: readonly { at: string; equity: string }[],
  levels: { dailyFloor?: string | null; maxFloor?: string | null; target?: string | null; initial?: string | null },
): ChartModel {
  const points: [number, number][] = [];
  for (const p of series) {
    const at = Date.parse(p.at);
    const equity = toNumber(p.equity);
    if (!Number.isFinite(at) || equity === null) continue;
    const last = points[points.length - 1];
    if (last && last[0] === at) last[1] = equity;
    else if (!last || at > last[0]) points.push([at, equity]);
  }
  const lines: ChartLine[] = [];
  for (const id of ['dailyFloor', 'maxFloor', 'target', 'initial'] as const) {
    const value = toNumber(levels[id]);
    if (value !== null) lines.push({ id, value });
  }
  const values = [...points.map((p) => p[1]), ...lines.map((l) => l.value)];
  if (values.length === 0) return { points, lines, min: 0, max: 1 };
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = Math.max((high - low) * 0.06, Math.abs(high) * 0.001, 1);
  return { points, lines, min: Math.floor(low - margin), max: Math.ceil(high + margin) };
}

/** At most one refetch of the series per interval while live figures arrive (and one after the last). */
export function throttle(fn: () => void, intervalMs: number) {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    last = Date.now();
    timer = undefined;
    fn();
  };
  const call = () => {
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer ??= setTimeout(run, wait);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}
