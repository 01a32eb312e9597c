import { Box } from '@mantine/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import type { ChartBy, ExposureBar } from './exposure-model';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const LONG = '#364fc7';
const SHORT = '#c92a2a';

/**
 * Net exposure as bars (long up in blue, short down in red) per symbol or asset class, ECharts on a
 * canvas updated in place as exposure messages arrive. The text alternative lists every bar.
 */
export function ExposureChart({
  bars,
  by,
  currency,
  height = 300,
}: {
  bars: ExposureBar[];
  by: ChartBy;
  currency: string;
  height?: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const label = (bar: ExposureBar) =>
    by === 'symbol' ? bar.key : t(`risk.assetClass.${bar.assetClass ?? 'FX_MAJOR'}`);

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

  // biome-ignore lint/correctness/useExhaustiveDependencies: `label` derives from by, t and locale, listed
  useEffect(() => {
    const money = (value: number) => formatMoney(String(value), currency, locale, false);
    const axisMoney = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          valueFormatter: (value: unknown) => money(Math.round(Number(value))),
        },
        xAxis: {
          type: 'category',
          data: bars.map(label),
          axisLabel: { interval: 0, rotate: bars.length > 8 ? 40 : 0, color: '#495057' },
        },
        yAxis: {
          type: 'value',
          axisLabel: { formatter: (value: number) => axisMoney.format(value), color: '#495057' },
          splitLine: { lineStyle: { color: '#e9ecef' } },
        },
        series: [
          {
            id: 'net',
            name: t('risk.exposure.netValue'),
            type: 'bar',
            data: bars.map((b) => ({ value: b.value, itemStyle: { color: b.value < 0 ? SHORT : LONG } })),
          },
        ],
      },
      { notMerge: true, lazyUpdate: true },
    );
  }, [bars, by, currency, locale, t]);

  const summary = t('risk.chart.summary', {
    count: bars.length,
    lines: bars.map((b) => `${label(b)} ${formatMoney(String(Math.round(b.value)), currency, locale)}`).join('; '),
  });

  return (
    <Box dir="ltr" role="img" aria-label={summary} data-testid="exposure-chart" data-bars={bars.length}>
      <div ref={ref} style={{ width: '100%', height }} />
    </Box>
  );
}
