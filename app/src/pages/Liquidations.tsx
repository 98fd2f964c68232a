// Liquidations: running auctions with their price now (AuctionEntity.priceAt at chain time) and the time left in the
// decline, buy; every live loan from the least healthy, liquidate those the liquidator would accept.
import { type AuctionEntity, fetchLoan, formatHealth } from "@strata-protocol/sdk";
import { fetchLoanViews, fetchRunningAuctions } from "@strata-protocol/sdk";
import { useEffect, useState } from "react";
import { useChainData, useStrata } from "../context.tsx";
import { amount, duration, short } from "../format.ts";
import { Card, ErrorLine } from "../ui.tsx";

/** Loans below this health are listed as close to liquidation. */
const CLOSE = 12n * 10n ** 17n;

/** Re-renders every second (countdowns and prices at chain time). */
function useTick(): void {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, []);
}

export function LiquidationsPage() {
  const s = useStrata();
  const { provider, deployment: d } = s;
  useTick();
  const auctions = useChainData(async () => {
    const list = await fetchRunningAuctions(provider, d);
    return Promise.all(list.map(async (a) => ({ auction: a, loan: await fetchLoan(provider, d, a.id) })));
  }, []);
  const loans = useChainData(() => fetchLoanViews(provider, d), []);
  const fmt = (x: bigint) => `${amount(x, s.assetDecimals, 2)} ${s.assetSymbol}`;
  const now = s.chainNow();
  const keeper = s.clients?.keeper ?? null;

  // Chain time for an auction: never before its start (the head poll can lag the block the auction was read at).
  const at = (a: AuctionEntity) => (now < a.startTime ? a.startTime : now);
  const buy = (a: AuctionEntity) => {
    // The price only falls: its value at the last block seen is the most this buy can cost (the node may execute it
    // at that block's timestamp, a little before the page's clock).
    const head = s.block.timestamp < a.startTime ? a.startTime : s.block.timestamp;
    const maxPrice = a.priceAt(head);
    void s.run(`Buy auction #${a.id} at ≤ ${fmt(maxPrice)}`, (o) => keeper!.buy(a.id, maxPrice, o));
  };
  const close = (loans.data ?? []).filter((v) => v.health < CLOSE || v.liquidatable);

  return (
    <>
      <Card title="Open auctions" testId="auctions">
        <ErrorLine error={auctions.error} />
        {auctions.data && auctions.data.length === 0 && <p className="muted">No auction is running.</p>}
        {auctions.data && auctions.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>auction</th>
                <th>NFT</th>
                <th>price now</th>
                <th>owed to the pool</th>
                <th>floor price after</th>
                <th>price falls for</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {auctions.data.map(({ auction: a, loan }) => {
                const left = a.startTime + a.duration - at(a);
                return (
                  <tr key={String(a.id)} data-testid={`auction-${a.id}`}>
                    <td>#{String(a.id)}</td>
                    <td>
                      {s.collectionLabel(loan.collection)} #{String(loan.tokenId)}
                    </td>
                    <td data-testid="auction-price">{fmt(a.priceAt(at(a)))}</td>
                    <td>{fmt(a.owed)}</td>
                    <td>{fmt(a.endPrice)}</td>
                    <td data-testid="auction-countdown">{left > 0n ? duration(left) : "ended: at its end price"}</td>
                    <td>
                      {keeper ? (
                        <button data-testid="buy" onClick={() => buy(a)}>
                          Buy
                        </button>
                      ) : (
                        <span className="muted">choose a wallet to buy</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Loans close to liquidation" testId="at-risk">
        <ErrorLine error={loans.error} />
        {loans.data && (
          <p className="muted" data-testid="loan-count">
            {loans.data.length} active loan{loans.data.length === 1 ? "" : "s"}; {close.length} below health 1.2 or liquidatable
          </p>
        )}
        {close.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>loan</th>
                <th>borrower</th>
                <th>health</th>
                <th>debt</th>
                <th>floor / liq. price</th>
                <th>maturity</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {close.map((v) => (
                <tr key={String(v.loan.id)} data-testid={`risk-${v.loan.id}`} className={v.liquidatable ? "warn" : ""}>
                  <td>#{String(v.loan.id)}</td>
                  <td>{short(v.loan.borrower)}</td>
                  <td data-testid="risk-health">
                    {formatHealth(v.health)}
                    {!v.priceFresh && " (price stale)"}
                  </td>
                  <td>{fmt(v.debt)}</td>
                  <td>
                    {fmt(v.floorPrice)} / {fmt(v.liquidationPrice)}
                  </td>
                  <td>{v.loan.maturity > now ? `in ${duration(v.loan.maturity - now)}` : `overdue ${duration(now - v.loan.maturity)}`}</td>
                  <td>
                    {v.liquidatable ? (
                      keeper ? (
                        <button
                          data-testid="liquidate"
                          onClick={() => void s.run(`Liquidate loan #${v.loan.id} (${v.liquidatable})`, (o) => keeper.liquidate(v.loan.id, o))}
                        >
                          Liquidate ({v.liquidatable})
                        </button>
                      ) : (
                        <span className="muted">liquidatable ({v.liquidatable})</span>
                      )
                    ) : (
                      <span className="muted">not liquidatable yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
