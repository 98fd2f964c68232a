// The demo's charts: an SVG rendered headless by ECharts' server-side renderer, and a terminal chart (asciichart).
import asciichart from "asciichart";
import * as echarts from "echarts";
import type { Sample } from "./demo.ts";

export async function renderCharts(samples: readonly Sample[], symbol: string): Promise<{ svg: string; terminal: string }> {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 960, height: 540 });
  const weeks = samples.map((s) => String(s.week));
  const round = (x: number, d = 4) => Number(x.toFixed(d));
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: "Strata demo: a simulated year", subtext: `share prices (${symbol} per share), utilization and realised losses; collection 2 floor crashes 60 % in week 30`, left: "center" },
    legend: { bottom: 8, data: ["senior share price", "junior share price", "utilization", `cumulative loss (k ${symbol})`] },
    grid: { top: 90, left: 70, right: 80, bottom: 90 },
    xAxis: { type: "category", name: "week", nameLocation: "middle", nameGap: 26, data: weeks },
    yAxis: [
      { type: "value", name: "share price", scale: true, axisLabel: { formatter: (v: number) => v.toFixed(3) } },
      { type: "value", name: "% / k", min: 0, position: "right" },
    ],
    series: [
      { name: "senior share price", type: "line", showSymbol: false, data: samples.map((s) => round(s.seniorSharePrice)), lineStyle: { width: 2 } },
      { name: "junior share price", type: "line", showSymbol: false, data: samples.map((s) => round(s.juniorSharePrice)), lineStyle: { width: 2 } },
      { name: "utilization", type: "line", yAxisIndex: 1, showSymbol: false, data: samples.map((s) => round(s.utilization * 100, 2)), lineStyle: { type: "dashed" } },
      { name: `cumulative loss (k ${symbol})`, type: "line", step: "end", yAxisIndex: 1, showSymbol: false, areaStyle: { opacity: 0.25 }, data: samples.map((s) => round(s.cumulativeLoss / 1000, 2)) },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const terminal = asciichart.plot(
    [samples.map((s) => s.seniorSharePrice), samples.map((s) => s.juniorSharePrice)],
    { height: 12, colors: [asciichart.blue, asciichart.red], format: (x: number) => x.toFixed(4).padStart(8) },
  );
  return { svg, terminal: `share price by week (blue: senior, red: junior)\n${terminal}` };
}
