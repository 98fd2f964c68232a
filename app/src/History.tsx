// The history panels (issue #31): the share-price chart's points, a lender's "your history" and a borrower's loan
// timelines come from the indexer (the SDK's history client, through the app server's /indexer) when one is
// configured, and fall back to node reads with a note when it is not or does not answer.
import {
  type LoanHistory,
  type LenderHistory,
  type SharePricePoint,
  fetchHistory,
  fetchLenderHistory,
  fetchLoanHistory,
  fetchSharePriceHistory,
  formatWadPct,
} from "@strata-protocol/sdk";
import { type Strata, useChainData, useStrata } from "./context.tsx";
import { amount, readableError } from "./format.ts";
import { Card, ErrorLine } from "./ui.tsx";

/** Where a panel's figures came from, and the note shown when it is not the indexer. */
export interface Sourced<T> {
  data: T;
  source: "indexer" | "node";
  note: string | null;
}

const NO_INDEXER = "No indexer configured (npm run indexer, then npm run app -- --indexer http://127.0.0.1:42069)";

/** The chart's points: the indexer's pool snapshots, else the pool read from the node at each event block. */
export async function shareHistory(s: Strata, maxPoints = 60): Promise<Sourced<SharePricePoint[]>> {
  const fromNode = () => fetchSharePriceHistory(s.provider, s.deployment, { maxPoints });
  if (!s.indexer) return { data: await fromNode(), source: "node", note: `${NO_INDEXER}: read from the node at each event block.` };
  try {
    const points = await fetchHistory(s.indexer, { maxPoints });
    return {
      data: points.map((p) => ({ blockNumber: p.blockNumber, timestamp: p.timestamp, senior: p.seniorSharePrice, junior: p.juniorSharePrice, nav: p.nav })),
      source: "indexer",
      note: null,
    };
  } catch (e) {
    return { data: await fromNode(), source: "node", note: `The indexer did not answer (${readableError(e)}): read from the node at each event block instead.` };
  }
}

/** The source line under a panel: "from the indexer", or the fallback's note. */
export function SourceNote({ source, note, testId }: { source: "indexer" | "node"; note: string | null; testId: string }) {
  return (
    <p className={source === "indexer" ? "muted" : "warn"} data-testid={testId} data-source={source}>
      {source === "indexer" ? "From the indexer." : note}
    </p>
  );
}

const day = (t: bigint | null) => (t === null ? "-" : new Date(Number(t) * 1000).toISOString().slice(0, 10));
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(2)} %`);

/** Lend: the connected lender's deposits, exits, P&L and realised APY since the first deposit, from the indexer. */
export function LenderHistoryPanel({ account }: { account: string }) {
  const s = useStrata();
  const { assetDecimals: dec, assetSymbol: sym } = s;
  const h = useChainData<Sourced<LenderHistory | null>>(async () => {
    if (!s.indexer) return { data: null, source: "node", note: `${NO_INDEXER}: your deposits, exits and P&L over time need it; your position above is read from the node.` };
    try {
      return { data: await fetchLenderHistory(s.indexer, account), source: "indexer", note: null };
    } catch (e) {
      return { data: null, source: "node", note: `The indexer did not answer (${readableError(e)}): your position above is read from the node.` };
    }
  }, [account, s.indexer?.url]);
  const fmt = (x: bigint) => `${amount(x, dec, 2)} ${sym}`;
  return (
    <Card title="Your history" testId="lender-history">
      <ErrorLine error={h.error} />
      {h.data && <SourceNote source={h.data.source} note={h.data.note} testId="lender-history-source" />}
      {h.data?.data && h.data.data.tranches.length === 0 && <p className="muted">No deposits yet.</p>}
      {h.data?.data && h.data.data.tranches.length > 0 && (
        <>
          <table data-testid="lender-pnl">
            <thead>
              <tr>
                <th>tranche</th>
                <th>deposited</th>
                <th>exited</th>
                <th>position</th>
                <th>P&amp;L</th>
                <th>realised APY</th>
                <th>since</th>
              </tr>
            </thead>
            <tbody>
              {h.data.data.tranches.map((t) => (
                <tr key={t.tranche} data-testid={`lender-pnl-${t.tranche}`}>
                  <td>{t.tranche}</td>
                  <td>{fmt(t.deposited)}</td>
                  <td>{fmt(t.exited)}</td>
                  <td>{fmt(t.pnl.positionValue)}</td>
                  <td data-testid={`lender-pnl-${t.tranche}-pnl`}>{fmt(t.pnl.pnl)}</td>
                  <td data-testid={`lender-pnl-${t.tranche}-apy`}>{pct(t.pnl.realisedApy)}</td>
                  <td>{day(t.firstDepositAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table data-testid="lender-flows">
            <thead>
              <tr>
                <th>date</th>
                <th>tranche</th>
                <th>flow</th>
                <th>assets</th>
              </tr>
            </thead>
            <tbody>
              {h.data.data.flows.map((f, i) => (
                <tr key={i}>
                  <td>{day(f.timestamp)}</td>
                  <td>{f.tranche}</td>
                  <td>{f.kind}</td>
                  <td>{f.assets === 0n ? "" : fmt(f.assets)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}

/** Borrow: the timeline of each of `loanIds` (terms, repayments, extensions, delegation, liquidation), from the indexer. */
export function LoanTimelinePanel({ loanIds }: { loanIds: bigint[] }) {
  const s = useStrata();
  const { assetDecimals: dec, assetSymbol: sym } = s;
  const key = loanIds.map(String).join(",");
  const h = useChainData<Sourced<LoanHistory[]>>(async () => {
    if (!s.indexer) return { data: [], source: "node", note: `${NO_INDEXER}: loan timelines need it; your loans above are read from the node.` };
    try {
      return { data: await Promise.all(loanIds.map((id) => fetchLoanHistory(s.indexer!, id))), source: "indexer", note: null };
    } catch (e) {
      return { data: [], source: "node", note: `The indexer did not answer (${readableError(e)}): your loans above are read from the node.` };
    }
  }, [key, s.indexer?.url]);
  return (
    <Card title="Loan timelines" testId="loan-timelines">
      <ErrorLine error={h.error} />
      {h.data && <SourceNote source={h.data.source} note={h.data.note} testId="loan-timelines-source" />}
      {h.data?.data.map((l) => (
        <div key={String(l.id)} data-testid={`loan-timeline-${l.id}`}>
          <h3>
            Loan {String(l.id)}: {amount(l.principal, dec, 2)} {sym} at {formatWadPct(l.apr)}, {l.status}
          </h3>
          <ol>
            {l.timeline.map((e, i) => (
              <li key={i}>
                {day(e.timestamp)} {e.kind}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </Card>
  );
}
