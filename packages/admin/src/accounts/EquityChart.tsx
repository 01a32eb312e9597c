import { Box } from '@mantine/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import type { ChartModel } from './chart-model';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

/** Where each line's label sits, so that lines close to each other keep readable labels. */
const LABEL_POSITIONS = {
  dailyFloor: 'insideStartTop',
  maxFloor: 'insideStartBottom',
  target: 'insideEndTop',
  initial: 'insideEndBottom',
} as const;

const LINE_COLORS = {
  dailyFloor: '#e8590c',
  maxFloor: '#c92a2a',
  target: '#2b8a3e',
  initial: '#868e96',
} as const;

/**
 * Equity over time against the current floors (and the target): ECharts on a canvas, updated in
 * place as new points arrive. Time flows left to right in every language.
 */
export function EquityChart({
  model,
  currency,
  timeZone,
  height = 320,
}: {
  model: ChartModel;
  currency: string;
  timeZone: string;
  height?: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const money = (value: number) => formatMoney(String(value), currency, locale, true);
    const axisMoney = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
    const axisTime = new Intl.DateTimeFormat(locale, {
      timeZone,
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    });
    const tooltipTime = new Intl.DateTimeFormat(locale, {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'axis',
          valueFormatter: (value: unknown) => money(Number(value)),
          axisPointer: { type: 'line' },
          formatter: (items: unknown) => {
            const [first] = items as { value: [number, number] }[];
            if (!first) return '';
            return `${tooltipTime.format(first.value[0])}<br/><b>${money(first.value[1])}</b>`;
          },
        },
        xAxis: {
          type: 'time',
          axisLabel: { formatter: (value: number) => axisTime.format(value), hideOverlap: true, color: '#495057' },
        },
        yAxis: {
          type: 'value',
          min: model.min,
          max: model.max,
          axisLabel: {
            formatter: (value: number) => axisMoney.format(value),
            color: '#495057',
            showMinLabel: false,
            showMaxLabel: false,
          },
          splitLine: { lineStyle: { color: '#e9ecef' } },
        },
        series: [
          {
            id: 'equity',
            name: t('chart.equity'),
            type: 'line',
            showSymbol: false,
            sampling: 'lttb',
            lineStyle: { width: 2, color: '#364fc7' },
            itemStyle: { color: '#364fc7' },
            areaStyle: { color: 'rgba(54, 79, 199, 0.08)', origin: 'start' },
            data: model.points,
            markLine: {
              symbol: 'none',
              silent: true,
              data: model.lines.map((line) => ({
                yAxis: line.value,
                lineStyle: {
                  color: LINE_COLORS[line.id],
                  type: line.id === 'initial' ? 'dotted' : 'dashed',
                  width: line.id === 'initial' ? 1 : 1.5,
                },
                label: {
                  formatter: `${t(`chart.${line.id}`)} ${money(line.value)}`,
                  position: LABEL_POSITIONS[line.id],
                  color: LINE_COLORS[line.id],
                  fontSize: 11,
                },
              })),
            },
          },
        ],
      },
      { notMerge: true, lazyUpdate: true },
    );
  }, [model, currency, timeZone, locale, t]);

  const latest = model.points[model.points.length - 1];
  const summary = t('chart.summary', {
    count: model.points.length,
    equity: latest ? formatMoney(String(latest[1]), currency, locale, true) : '—',
    lines: model.lines
      .map((l) => `${t(`chart.${l.id}`)} ${formatMoney(String(l.value), currency, locale, true)}`)
      .join('; '),
  });

  return (
    <Box
      dir="ltr"
      role="img"
      aria-label={summary}
      data-testid="equity-chart"
      data-points={model.points.length}
      data-last-equity={latest?.[1] ?? ''}
    >
      <div ref={ref} style={{ width: '100%', height }} />
    </Box>
  );
}
