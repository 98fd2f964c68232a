// Pool: NAV, utilization, cash, both tranches (share price, value, APR and APY labelled), subordination, the queues,
// the share prices over time, and the risk panel (each tranche's loss if floors fell: Risk.tsx). Every figure is an SDK fetcher or entity method.
import { type TrancheEntity, fetchPool, formatWadPct } from "@strata-protocol/sdk";
import { queueView, subordination } from "@strata-protocol/sdk";
import { SourceNote, shareHistory } from "../History.tsx";
import { SharePriceChart } from "../Chart.tsx";
import { useChainData, useStrata } from "../context.tsx";
import { RiskPanel } from "../Risk.tsx";
import { amount, duration } from "../format.ts";
import { Card, ErrorLine, Stat } from "../ui.tsx";

export function PoolPage() {
  const s = useStrata();
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = s;
  const snap = useChainData(() => fetchPool(provider, d), []);
  const history = useChainData(() => shareHistory(s, 60), [s.indexer?.url]);
  if (!snap.data) return snap.error ? <ErrorLine error={snap.error} /> : <p>Loading…</p>;
  const { pool } = snap.data;
  const sub = subordination(snap.data);
  const tranche = (tr: TrancheEntity) => {
    const y = tr.yield;
    const q = queueView(snap.data!, tr);
    const n = tr.name;
    return (
      <Card title={`${n[0].toUpperCase()}${n.slice(1)} tranche`} testId={`tranche-${n}`} key={n}>
        <div className="stats">
          <Stat label="Share price" value={`${amount(tr.sharePrice, dec, 6)} ${sym}`} hint="assets per whole share" testId={`${n}-share-price`} />
          <Stat label="Value" value={`${amount(tr.totalAssetsAt(), dec, 2)} ${sym}`} testId={`${n}-value`} />
          <Stat label="APR" value={formatWadPct(y.apr)} hint={y.basis} testId={`${n}-apr`} />
          <Stat label="APY" value={formatWadPct(y.apy)} hint="the APR compounded per second over a year" testId={`${n}-apy`} />
          <Stat
            label="Queue"
            value={`${q.requestsInLine} request${q.requestsInLine === 1n ? "" : "s"} · ${amount(q.pendingValue, dec, 2)} ${sym}`}
            hint={q.holdText ?? `servable now ${amount(q.servableNow, dec, 2)} ${sym}`}
            testId={`${n}-queue`}
          />
          <Stat
            label="Wait"
            value={q.noticePeriod === null ? "as cash allows" : `notice ${duration(q.noticePeriod)}, then as cash allows`}
            testId={`${n}-wait`}
          />
        </div>
      </Card>
    );
  };
  return (
    <>
      <Card title="Pool" testId="pool-summary">
        <div className="stats">
          <Stat label="NAV" value={`${amount(pool.navAt(), dec, 2)} ${sym}`} hint="cash + principal + accrued interest" testId="nav" />
          <Stat label="Utilization" value={formatWadPct(pool.utilization)} hint="principal / (principal + cash)" testId="utilization" />
          <Stat label="Cash" value={`${amount(pool.cash, dec, 2)} ${sym}`} hint={`available ${amount(pool.availableCashAt(), dec, 2)} (not owed to the queues)`} testId="cash" />
          <Stat label="Lent out" value={`${amount(pool.totalPrincipal, dec, 2)} ${sym}`} testId="principal" />
          <Stat
            label="Subordination"
            value={formatWadPct(sub.ratio)}
            hint={`junior / NAV; minimum ${formatWadPct(sub.minimum)}`}
            warn={sub.ratio < sub.minimum && pool.navAt() > 0n}
            testId="subordination"
          />
          <Stat
            label="Loans in liquidation"
            value={`${pool.impairedCount} (${amount(pool.impairedBook, dec, 2)} ${sym} at book)`}
            testId="impaired"
          />
        </div>
        {(pool.depositsPaused || pool.borrowsPaused) && (
          <p className="warn" data-testid="paused">
            {pool.depositsPaused && "Deposits are paused. "}
            {pool.borrowsPaused && "Borrowing is paused."}
          </p>
        )}
      </Card>
      <div className="two">
        {tranche(snap.data.senior)}
        {tranche(snap.data.junior)}
      </div>
      <Card title="Share prices over time" testId="history">
        <ErrorLine error={history.error} />
        {history.data && <SourceNote source={history.data.source} note={history.data.note} testId="history-source" />}
        {history.data && history.data.data.length > 0 ? (
          <SharePriceChart points={history.data.data} decimals={dec} symbol={sym} />
        ) : (
          <p className="muted">{history.loading ? "Reading the pool's events…" : "No deposits yet."}</p>
        )}
      </Card>
      <RiskPanel />
    </>
  );
}
