// Share prices over time (ECharts, SVG renderer). The points come from the SDK (fetchSharePriceHistory); numbers are
// converted to floats here for plotting only, never for a figure shown as text.
import type { SharePricePoint } from "@strata-protocol/sdk";
import { formatUnits } from "ethers";
import { useEffect } from "react";
import { useEChart } from "./echart.ts";

export function SharePriceChart({ points, decimals, symbol }: { points: SharePricePoint[]; decimals: number; symbol: string }) {
  const { el, chart } = useEChart();
  useEffect(() => {
    const series = (key: "senior" | "junior") => points.map((p) => [Number(p.timestamp) * 1000, Number(formatUnits(p[key], decimals))]);
    chart.current?.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: ["senior", "junior"], top: 0, right: 10 },
      grid: { left: 60, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true, name: `${symbol} per share` },
      series: [
        { name: "senior", type: "line", showSymbol: points.length < 30, data: series("senior") },
        { name: "junior", type: "line", showSymbol: points.length < 30, data: series("junior") },
      ],
    });
  }, [points, decimals, symbol]);
  return <div ref={el} className="chart" data-testid="share-price-chart" data-points={points.length} />;
}
