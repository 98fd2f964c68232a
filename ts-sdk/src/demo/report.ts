// The demo's charts: an SVG rendered headless by ECharts' server-side renderer, and a terminal chart (asciichart).
// `renderLineChart` is the shared SVG renderer (the demo's year and ts-sdk/bench/crash.ts use it).
import asciichart from "asciichart";
import * as echarts from "echarts";
import type { Sample } from "./sampling.ts";

/** One line of a chart: on the left axis (0) or the right one (1); `step` and `area` for cumulative figures. */
export interface ChartSeries {
  name: string;
  data: readonly number[];
  axis?: 0 | 1;
  dashed?: boolean;
  step?: boolean;
  area?: boolean;
}

export interface LineChart {
  title: string;
  subtext: string;
  xName: string;
  x: readonly string[];
  left: { name: string; decimals: number; scale?: boolean };
  right: { name: string };
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
}

/** An SVG line chart (ECharts SSR, no DOM), the demo's layout: title on top, legend at the bottom, two y axes. */
export function renderLineChart(c: LineChart): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: c.width ?? 960, height: c.height ?? 540 });
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: c.title, subtext: c.subtext, left: "center" },
    legend: { bottom: 8, data: c.series.map((s) => s.name) },
    grid: { top: 90, left: 70, right: 80, bottom: 90 },
    xAxis: { type: "category", name: c.xName, nameLocation: "middle", nameGap: 26, data: [...c.x] },
    yAxis: [
      { type: "value", name: c.left.name, scale: c.left.scale ?? true, axisLabel: { formatter: (v: number) => v.toFixed(c.left.decimals) } },
      { type: "value", name: c.right.name, min: 0, position: "right" },
    ],
    series: c.series.map((s) => ({
      name: s.name,
      type: "line",
      ...(s.step ? { step: "end" } : {}),
      ...(s.axis === 1 ? { yAxisIndex: 1 } : {}),
      showSymbol: false,
      ...(s.area ? { areaStyle: { opacity: 0.25 } } : {}),
      data: [...s.data],
      ...(s.area ? {} : { lineStyle: s.dashed ? { type: "dashed" } : { width: 2 } }),
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export async function renderCharts(samples: readonly Sample[], symbol: string): Promise<{ svg: string; terminal: string }> {
  const round = (x: number, d = 4) => Number(x.toFixed(d));
  const svg = renderLineChart({
    title: "Strata demo: a simulated year",
    subtext: `share prices (${symbol} per share), utilization and realised losses; collection 2 floor crashes 60 % in week 30`,
    xName: "week",
    x: samples.map((s) => String(s.week)),
    left: { name: "share price", decimals: 3 },
    right: { name: "% / k" },
    series: [
      { name: "senior share price", data: samples.map((s) => round(s.seniorSharePrice)) },
      { name: "junior share price", data: samples.map((s) => round(s.juniorSharePrice)) },
      { name: "utilization", axis: 1, dashed: true, data: samples.map((s) => round(s.utilization * 100, 2)) },
      { name: `cumulative loss (k ${symbol})`, axis: 1, step: true, area: true, data: samples.map((s) => round(s.cumulativeLoss / 1000, 2)) },
    ],
  });
  const terminal = asciichart.plot(
    [samples.map((s) => s.seniorSharePrice), samples.map((s) => s.juniorSharePrice)],
    { height: 12, colors: [asciichart.blue, asciichart.red], format: (x: number) => x.toFixed(4).padStart(8) },
  );
  return { svg, terminal: `share price by week (blue: senior, red: junior)\n${terminal}` };
}
