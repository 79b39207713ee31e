// One chart of a report, drawn by echarts (SVG, no animation) and disposed with its screen. Its text
// alternative is the table of the figures it draws, for a screen reader and for axe; the picture
// itself is hidden from assistive technology.
import { useEffect, useId, useRef, useState } from 'react';
import type { EChartsType } from 'echarts/core';

export interface ChartSeries {
  name: string;
  /** The heights drawn, one per category. */
  values: number[];
  /** What the reader sees for each value (money to the fen, people as integers). */
  texts: string[];
}

export interface ChartSpec {
  title: string;
  kind: 'bar';
  categories: string[];
  series: ChartSeries[];
  /** The unit of the axis, e.g. 人 or 元. */
  unit: string;
}

const WIDTH = 640;
const HEIGHT = 260;

function optionOf(spec: ChartSpec) {
  // Every category named, slanted when many: echarts would otherwise drop every other label.
  const slanted = spec.categories.length > 5;
  return {
    animation: false,
    grid: { left: 72, right: 16, top: 40, bottom: slanted ? 72 : 40 },
    legend: { top: 0, data: spec.series.map((s) => s.name) },
    xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0, rotate: slanted ? 30 : 0 } },
    yAxis: { type: 'value', name: spec.unit, minInterval: spec.unit === '人' ? 1 : 0 },
    series: spec.series.map((s) => ({ type: spec.kind, name: s.name, data: s.values })),
  };
}

export function ReportChart({ spec, testId }: { spec: ChartSpec; testId?: string }) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let chart: EChartsType | undefined;
    let gone = false;
    import('./echarts-setup').then(
      ({ init }) => {
        if (gone || !box.current) return;
        chart = init(box.current, null, { renderer: 'svg', width: WIDTH, height: HEIGHT });
        chart.setOption(optionOf(spec));
      },
      () => {
        if (!gone) setFailed(true);
      },
    );
    return () => {
      gone = true;
      chart?.dispose();
    };
  }, [spec]);

  return (
    <figure className="county-chart" aria-labelledby={`${id}-t`} data-testid={testId}>
      <figcaption id={`${id}-t`}>{spec.title}</figcaption>
      {failed ? (
        <p className="county-chart-failed">图表未能加载，数字见下表。</p>
      ) : (
        <div ref={box} className="county-chart-canvas" aria-hidden="true" data-testid={testId ? `${testId}-canvas` : undefined} />
      )}
      <table className="county-table county-chart-text">
        <caption>{spec.title}（图表数据）</caption>
        <thead>
          <tr>
            <th scope="col">项目</th>
            {spec.series.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {spec.categories.map((c, i) => (
            <tr key={c}>
              <th scope="row">{c}</th>
              {spec.series.map((s) => (
                <td key={s.name} className="county-num">
                  {s.texts[i] ?? '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
