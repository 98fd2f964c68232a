// The stress view in the app (issue #33): on the Pool page, each tranche's loss against a floor drop (ECharts), per
// collection and for all at once, with the breakpoints in words; on the Lend page, the same for the connected lender's
// own position. Every figure is the SDK's (stress.ts: stressCurves, breakpoints, stressPosition); numbers become
// floats only for plotting. Assumptions (docs/ACCOUNTING.md "Stress view") are stated under the chart.
import {
  type Breakpoints,
  type StressCurve,
  type TrancheName,
  Tranche,
  breakpointSentences,
  breakpoints,
  formatBps,
  stress,
  stressCurves,
  stressPosition,
} from "@strata-protocol/sdk";
import { type StressBook, fetchStressBook } from "@strata-protocol/sdk";
import { formatUnits } from "ethers";
import { useEffect, useMemo, useState } from "react";
import { useChainData, useStrata } from "./context.tsx";
import { useEChart } from "./echart.ts";
import { amount } from "./format.ts";
import { Card, ErrorLine } from "./ui.tsx";

/** The chart's drops: 0, 5, ... 95 %. */
const CHART_DROPS: bigint[] = Array.from({ length: 20 }, (_, i) => BigInt(i * 500));
/** The table's drops: 10 .. 90 %. */
const TABLE_DROPS: bigint[] = [1000n, 2000n, 3000n, 4000n, 5000n, 6000n, 7000n, 8000n, 9000n];
const RECOVERIES: { key: string; label: string; bps?: bigint }[] = [
  { key: "end", label: "auction end price" },
  { key: "75", label: "75 % of appraisal", bps: 7500n },
  { key: "50", label: "50 % of appraisal", bps: 5000n },
  { key: "25", label: "25 % of appraisal", bps: 2500n },
];

/** A collection's name for people: its place in the deployment. */
function nameOf(book: StressBook, target: string | "all"): string {
  if (target === "all") return "every collection";
  const i = book.collections.findIndex((c) => c.address.toLowerCase() === target.toLowerCase());
  return `collection ${i + 1}`;
}
const floorName = (book: StressBook, target: string | "all") => (target === "all" ? "all floors" : `${nameOf(book, target)}'s floor`);

interface Line {
  name: string;
  data: bigint[];
}

/** Loss against floor drop, one line per series (amounts in token units). */
function LossChart({ drops, lines, decimals, symbol, testId }: { drops: bigint[]; lines: Line[]; decimals: number; symbol: string; testId: string }) {
  const { el, chart } = useEChart();
  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: lines.map((l) => l.name), top: 0, right: 10 },
        grid: { left: 60, right: 20, top: 40, bottom: 40, containLabel: true },
        xAxis: { type: "category", name: "floor drop", nameLocation: "middle", nameGap: 28, data: drops.map((d) => formatBps(d)) },
        yAxis: { type: "value", name: `loss (${symbol})` },
        series: lines.map((l) => ({ name: l.name, type: "line", data: l.data.map((x) => Number(formatUnits(x, decimals))) })),
      },
      true,
    );
  }, [drops, lines, decimals, symbol]);
  return <div ref={el} className="chart" data-testid={testId} data-series={lines.length} data-points={drops.length} />;
}

/** The target (a collection, or all at once) and the recovery assumption, shared by both panels. */
function useScenarioChoice(book: StressBook | null) {
  const [target, setTarget] = useState<string | "all">("all");
  const [recovery, setRecovery] = useState("end");
  const recoveryBps = RECOVERIES.find((r) => r.key === recovery)?.bps;
  const controls = book && (
    <div className="tabs" data-testid="risk-controls">
      {[...book.collections.map((c) => c.address), "all" as const].map((t) => (
        <button key={t} className={t === target ? "active" : ""} onClick={() => setTarget(t)} data-testid={`risk-target-${t === "all" ? "all" : nameOf(book, t).replace(" ", "-")}`}>
          {t === "all" ? "All at once" : nameOf(book, t)}
        </button>
      ))}
      <select value={recovery} onChange={(e) => setRecovery(e.target.value)} data-testid="risk-recovery" aria-label="recovery">
        {RECOVERIES.map((r) => (
          <option key={r.key} value={r.key}>
            sold at {r.label}
          </option>
        ))}
      </select>
    </div>
  );
  return { target, recoveryBps, controls };
}

function Assumptions({ book }: { book: StressBook }) {
  return (
    <p className="muted" data-testid="risk-assumptions">
      The drop happens now, all at once; nothing else happens (no deposits, exits, borrows or repayments); every loan it makes liquidatable is
      liquidated and its NFT sold at the auction's end price ({formatBps(book.auction.endMultiplierBps)} of the appraisal) unless another recovery is
      chosen. Loans already in liquidation are already written off.
    </p>
  );
}

/** Pool page: each tranche's loss against the floor drop, and the breakpoints in words. */
export function RiskPanel() {
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = useStrata();
  const book = useChainData(() => fetchStressBook(provider, d), []);
  const { target, recoveryBps, controls } = useScenarioChoice(book.data);
  const view = useMemo(() => {
    const b = book.data;
    if (!b || b.collections.length === 0) return null;
    const [curve] = stressCurves(b.snap, b.loans, b.collections, { auction: b.auction, recoveryBps, drops: CHART_DROPS, targets: [target] });
    const [table] = stressCurves(b.snap, b.loans, b.collections, { auction: b.auction, recoveryBps, drops: TABLE_DROPS, targets: [target] });
    const bp = breakpoints(b.snap, b.loans, b.collections, { auction: b.auction, recoveryBps }).find((x) => x.collection === target)!;
    return { curve, table, bp };
  }, [book.data, target, recoveryBps]);
  return (
    <Card title="Risk: what a floor drop would cost each tranche" testId="risk">
      <ErrorLine error={book.error} />
      {!book.data ? (
        <p className="muted">Reading the loan book…</p>
      ) : !view ? (
        <p className="muted">No listed collection.</p>
      ) : (
        <>
          {controls}
          <LossChart
            drops={CHART_DROPS}
            lines={[
              { name: "senior loss", data: view.curve.points.map((p) => p.loss.senior) },
              { name: "junior loss", data: view.curve.points.map((p) => p.loss.junior) },
            ]}
            decimals={dec}
            symbol={sym}
            testId="risk-chart"
          />
          <Words book={book.data} target={target} bp={view.bp} />
          <LossTable curve={view.table} decimals={dec} symbol={sym} />
          <Assumptions book={book.data} />
        </>
      )}
    </Card>
  );
}

function Words({ book, target, bp }: { book: StressBook; target: string | "all"; bp: Breakpoints }) {
  return (
    <ul data-testid="risk-breakpoints">
      {breakpointSentences(bp, floorName(book, target)).map((s) => (
        <li key={s}>{s[0].toUpperCase() + s.slice(1)}.</li>
      ))}
    </ul>
  );
}

function LossTable({ curve, decimals, symbol }: { curve: StressCurve; decimals: number; symbol: string }) {
  return (
    <table data-testid="risk-table">
      <thead>
        <tr>
          <th>floor drop</th>
          <th>loans liquidated</th>
          <th>senior loss ({symbol})</th>
          <th>junior loss ({symbol})</th>
          <th>subordination after</th>
        </tr>
      </thead>
      <tbody>
        {curve.points.map((p) => (
          <tr key={String(p.dropBps)} data-testid={`risk-row-${Number(p.dropBps) / 100}`}>
            <td>{formatBps(p.dropBps)}</td>
            <td>{p.liquidated}</td>
            <td data-testid="risk-senior-loss">
              {amount(p.loss.senior, decimals, 2)} ({formatBps(p.lossBps.senior)})
            </td>
            <td data-testid="risk-junior-loss">
              {amount(p.loss.junior, decimals, 2)} ({formatBps(p.lossBps.junior)})
            </td>
            <td>{formatBps(p.subordinationBps)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Lend page: the connected lender's own position (wallet and queued shares) under the same scenarios. */
export function PositionRisk({ tranche, shares }: { tranche: TrancheName; shares: bigint }) {
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = useStrata();
  const book = useChainData(() => fetchStressBook(provider, d), []);
  const { target, recoveryBps, controls } = useScenarioChoice(book.data);
  const id = tranche === "senior" ? Tranche.Senior : Tranche.Junior;
  const view = useMemo(() => {
    const b = book.data;
    if (!b || b.collections.length === 0) return null;
    const named = target === "all" ? b.collections.map((c) => c.address) : [target];
    const at = (drop: bigint) => {
      const r = stress(b.snap, b.loans, b.collections, { drops: Object.fromEntries(named.map((c) => [c, drop])), recoveryBps, auction: b.auction });
      return { drop, ...stressPosition(b.snap, r, id, shares) };
    };
    const bp = breakpoints(b.snap, b.loans, b.collections, { auction: b.auction, recoveryBps }).find((x) => x.collection === target)!;
    return { chart: CHART_DROPS.map(at), table: TABLE_DROPS.map(at), firstLoss: id === Tranche.Senior ? bp.seniorFirstLoss : bp.juniorFirstLoss, wipedOut: bp.juniorWipedOut };
  }, [book.data, target, recoveryBps, id, shares]);
  return (
    <Card title={`Risk to your ${tranche} position`} testId="position-risk">
      <ErrorLine error={book.error} />
      {shares === 0n ? (
        <p className="muted">You hold no {tranche} shares.</p>
      ) : !book.data || !view ? (
        <p className="muted">Reading the loan book…</p>
      ) : (
        <>
          {controls}
          <p data-testid="position-risk-words">
            {view.firstLoss === null
              ? `Your ${tranche} position loses nothing even if ${floorName(book.data, target)} fell 99.99 %.`
              : view.firstLoss === 0n
                ? `Your ${tranche} position is already losing, with no drop.`
                : `Your ${tranche} position loses nothing until ${floorName(book.data, target)} ${target === "all" ? "fall" : "falls"} ${formatBps(view.firstLoss)}.`}
            {id === Tranche.Junior && view.wipedOut !== null && ` It is worth nothing once ${floorName(book.data, target)} ${target === "all" ? "fall" : "falls"} ${formatBps(view.wipedOut)}.`}
          </p>
          <LossChart drops={CHART_DROPS} lines={[{ name: "your loss", data: view.chart.map((x) => x.loss) }]} decimals={dec} symbol={sym} testId="position-risk-chart" />
          <table data-testid="position-risk-table">
            <thead>
              <tr>
                <th>floor drop</th>
                <th>your value now ({sym})</th>
                <th>after ({sym})</th>
                <th>your loss ({sym})</th>
              </tr>
            </thead>
            <tbody>
              {view.table.map((x) => (
                <tr key={String(x.drop)} data-testid={`position-risk-row-${Number(x.drop) / 100}`}>
                  <td>{formatBps(x.drop)}</td>
                  <td>{amount(x.before, dec, 2)}</td>
                  <td>{amount(x.after, dec, 2)}</td>
                  <td data-testid="position-risk-loss">{amount(x.loss, dec, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Assumptions book={book.data} />
        </>
      )}
    </Card>
  );
}
