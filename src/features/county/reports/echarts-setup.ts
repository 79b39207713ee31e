// The part of echarts the reports draw with, loaded only when a chart is shown (a dynamic import from
// ReportChart.tsx): the first screen of a tablet never downloads it. SVG only: it prints sharp on A4.
import { init, use as register } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

register([BarChart, GridComponent, LegendComponent, SVGRenderer]);

export { init };
