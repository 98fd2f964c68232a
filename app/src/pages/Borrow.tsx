// Borrow: pick a collection and one of your tokens, get the chain's quote (Borrower.quote), borrow (the NFT approval
// is sent by the SDK when missing); your loans with health, debt and time to maturity, repay (full or partial) and
// extend (Borrower.quoteExtend, then extend).
import { type BorrowQuote, type ExtendQuote, fetchCollection, formatBps, formatHealth, formatWadPct, parseAmount } from "@strata-protocol/sdk";
import { type LoanView, deploymentFeatures, fetchLoanViews, fetchOwnedTokens } from "@strata-protocol/sdk/views";
import { isAddress } from "ethers";
import { useState } from "react";
import { useChainData, useStrata } from "../context.tsx";
import { amount, duration, readableError, short, term, when } from "../format.ts";
import { Card, ErrorLine, NeedsWallet, Stat } from "../ui.tsx";

/** Health below this shows a warning (the liquidation line is 1.0). */
const HEALTH_WARNING = 12n * 10n ** 17n;

export function BorrowPage() {
  const s = useStrata();
  return <NeedsWallet>{s.wallet.address && <BorrowDesk key={s.wallet.address} account={s.wallet.address} />}</NeedsWallet>;
}

function BorrowDesk({ account }: { account: string }) {
  const s = useStrata();
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = s;
  const borrower = s.clients!.borrower;
  const features = deploymentFeatures();
  const [collection, setCollection] = useState(d.collections[0] ?? "");
  const info = useChainData(() => (collection ? fetchCollection(provider, d, collection) : Promise.resolve(null)), [collection]);
  const tokens = useChainData(() => (collection ? fetchOwnedTokens(provider, collection, account) : Promise.resolve([])), [collection, account]);
  const loans = useChainData(() => fetchLoanViews(provider, d, { borrower: account }), [account]);
  const [tokenId, setTokenId] = useState("");
  const [principal, setPrincipal] = useState("");
  const [days, setDays] = useState("30");
  const [delegate, setDelegate] = useState("");
  const [quote, setQuote] = useState<BorrowQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);

  const fmt = (x: bigint) => `${amount(x, dec, 2)} ${sym}`;
  const c = info.data;
  const token = tokenId || (tokens.data && tokens.data.length > 0 ? String(tokens.data[0]) : "");

  const parsedInputs = (): { principal: bigint; duration: bigint } => {
    const p = parseAmount(principal, dec);
    if (!/^\d+(\.\d+)?$/.test(days.trim())) throw new Error(`"${days}" is not a number of days`);
    return { principal: p, duration: BigInt(Math.round(Number(days) * 86_400)) };
  };

  const getQuote = async () => {
    setQuote(null);
    setQuoteError(null);
    try {
      const p = parsedInputs();
      setQuote(await borrower.quote(collection, p.principal, p.duration));
    } catch (e) {
      setQuoteError(readableError(e));
    }
  };

  const borrow = async () => {
    let p: { principal: bigint; duration: bigint };
    try {
      p = parsedInputs();
      if (features.delegation && delegate && !isAddress(delegate)) throw new Error(`delegate "${delegate}" is not an address`);
    } catch (e) {
      setQuoteError(readableError(e));
      return;
    }
    setQuoteError(null);
    const params = { collection, tokenId: BigInt(token), principal: p.principal, duration: p.duration, ...(features.delegation && delegate ? { delegate } : {}) };
    const r = await s.run(`Borrow ${fmt(p.principal)} on token #${token} for ${days} d`, (o) => borrower.borrow(params, o));
    if (r) {
      setQuote(null);
      setPrincipal("");
      setTokenId("");
    }
  };

  return (
    <>
      <Card title="New loan" testId="borrow-form">
        <div className="row">
          <label>
            Collection{" "}
            <select data-testid="collection" value={collection} onChange={(e) => (setCollection(e.target.value), setTokenId(""), setQuote(null))}>
              {d.collections.map((a, i) => (
                <option key={a} value={a}>
                  #{i} {short(a)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Your token{" "}
            <select data-testid="token" value={token} onChange={(e) => setTokenId(e.target.value)}>
              {(tokens.data ?? []).length === 0 && <option value="">none held</option>}
              {(tokens.data ?? []).map((t) => (
                <option key={String(t)} value={String(t)}>
                  #{String(t)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {c && (
          <div className="stats">
            <Stat label="Floor" value={fmt(c.floorPrice)} hint={c.priceFresh ? `updated ${when(c.priceUpdatedAt)}` : "STALE: borrowing stopped"} warn={!c.priceFresh} testId="floor" />
            <Stat label="LTV" value={formatBps(c.ltvBps)} hint={`liquidation threshold ${formatBps(c.liquidationThresholdBps)}`} testId="ltv" />
            <Stat label="Term" value={`${term(c.minDuration)} – ${term(c.maxDuration)}`} testId="term" />
            <Stat label="Exposure" value={`${fmt(c.exposure)} of ${fmt(c.exposureCap)}`} testId="exposure" />
            {!c.listed && <Stat label="Status" value="not listed" warn />}
            {c.paused && <Stat label="Status" value="paused" warn />}
          </div>
        )}
        <ErrorLine error={info.error ?? tokens.error} />
        <div className="row">
          <input data-testid="principal" placeholder={`principal in ${sym}`} value={principal} onChange={(e) => (setPrincipal(e.target.value), setQuote(null))} />
          <input data-testid="days" placeholder="days" value={days} onChange={(e) => (setDays(e.target.value), setQuote(null))} className="narrow" />
          <span className="muted">days</span>
          {features.delegation ? (
            <input data-testid="delegate" placeholder="delegate (optional address)" value={delegate} onChange={(e) => setDelegate(e.target.value)} />
          ) : (
            <span className="muted" data-testid="no-delegation">
              (this deployment has no delegation)
            </span>
          )}
          <button data-testid="quote" onClick={() => void getQuote()} disabled={!principal}>
            Quote
          </button>
          <button data-testid="borrow" onClick={() => void borrow()} disabled={!principal || !token}>
            Borrow
          </button>
        </div>
        <ErrorLine error={quoteError} testId="quote-error" />
        {quote && (
          <div className="stats" data-testid="quote-result">
            <Stat label="APR" value={formatWadPct(quote.apr)} hint="locked at borrow (the chain's quote)" testId="quote-apr" />
            <Stat label="You receive" value={fmt(quote.amountReceived)} hint={`origination fee ${fmt(quote.originationFee)}`} testId="quote-received" />
            <Stat label="Repay at maturity" value={fmt(quote.repayAtMaturity)} hint={`interest ${fmt(quote.interestAtMaturity)}`} testId="quote-repay" />
            <Stat
              label="Max principal"
              value={fmt(quote.maxPrincipal)}
              hint={`${formatBps(quote.ltvBps)} LTV × floor × rarity ${formatBps(quote.rarityBps)}`}
              warn={quote.principal > quote.maxPrincipal}
              testId="quote-max"
            />
            <Stat label="Liquidation price" value={fmt(quote.liquidationPrice)} hint="floor below which the loan is liquidatable" testId="quote-liq" />
          </div>
        )}
      </Card>
      <Card title="Your loans" testId="loans">
        <ErrorLine error={loans.error} />
        {loans.data && loans.data.length === 0 && <p className="muted">No active loan.</p>}
        {loans.data && loans.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>loan</th>
                <th>token</th>
                <th>debt now</th>
                <th>APR</th>
                <th>maturity</th>
                <th>health</th>
                <th>liq. price</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {loans.data.map((v) => (
                <LoanRow key={String(v.loan.id)} v={v} />
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

function LoanRow({ v }: { v: LoanView }) {
  const s = useStrata();
  const { assetDecimals: dec, assetSymbol: sym } = s;
  const borrower = s.clients!.borrower;
  const [partial, setPartial] = useState("");
  const [extendDays, setExtendDays] = useState("");
  const [ext, setExt] = useState<ExtendQuote | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const fmt = (x: bigint) => `${amount(x, dec, 2)} ${sym}`;
  const l = v.loan;
  const toMaturity = l.maturity - s.chainNow();
  const low = v.health < HEALTH_WARNING;
  const id = String(l.id);

  const repayPartial = async () => {
    setErr(null);
    try {
      const x = parseAmount(partial, dec);
      if (await s.run(`Repay ${fmt(x)} of loan #${id}`, (o) => borrower.repay(l.id, x, o))) setPartial("");
    } catch (e) {
      setErr(readableError(e));
    }
  };
  const quoteExtend = async () => {
    setErr(null);
    setExt(null);
    try {
      setExt(await borrower.quoteExtend(l.id, BigInt(Math.round(Number(extendDays) * 86_400))));
    } catch (e) {
      setErr(readableError(e));
    }
  };

  return (
    <>
      <tr data-testid={`loan-${id}`} className={low ? "warn" : ""}>
        <td>#{id}</td>
        <td>
          {short(l.collection)} #{String(l.tokenId)}
        </td>
        <td data-testid="loan-debt">{fmt(v.debt)}</td>
        <td>{formatWadPct(l.apr)}</td>
        <td data-testid="loan-maturity">
          {when(l.maturity)} ({toMaturity >= 0n ? `in ${duration(toMaturity)}` : `overdue ${duration(-toMaturity)}`})
        </td>
        <td data-testid="loan-health">
          {formatHealth(v.health)}
          {low && (
            <span className="warn" data-testid="health-warning">
              {" "}
              ⚠ below 1.2: {v.liquidatable ? `liquidatable (${v.liquidatable})` : "close to liquidation"}
            </span>
          )}
          {!v.priceFresh && <span className="warn"> (price stale)</span>}
        </td>
        <td>{fmt(v.liquidationPrice)}</td>
        <td className="actions">
          <button data-testid="repay-full" onClick={() => void s.run(`Repay loan #${id} in full`, (o) => borrower.repay(l.id, "full", o))}>
            Repay all
          </button>
        </td>
      </tr>
      <tr className="sub">
        <td colSpan={8}>
          <input data-testid="repay-amount" className="narrow" placeholder={sym} value={partial} onChange={(e) => setPartial(e.target.value)} />
          <button data-testid="repay-partial" disabled={!partial} onClick={() => void repayPartial()}>
            Repay part
          </button>{" "}
          <input data-testid="extend-days" className="narrow" placeholder="days" value={extendDays} onChange={(e) => (setExtendDays(e.target.value), setExt(null))} />
          <button data-testid="extend-quote" disabled={!extendDays} onClick={() => void quoteExtend()}>
            Quote extension
          </button>
          {ext && (
            <>
              {" "}
              <span data-testid="extend-result">
                new APR {formatWadPct(ext.newApr)}, interest due now {fmt(ext.interestDue)}, new maturity {when(ext.newMaturity)}
              </span>{" "}
              <button
                data-testid="extend"
                onClick={() => void s.run(`Extend loan #${id} by ${extendDays} d`, (o) => borrower.extend(l.id, ext.newDuration, o)).then(() => setExt(null))}
              >
                Extend
              </button>
            </>
          )}
          {err && <span className="error"> {err}</span>}
        </td>
      </tr>
    </>
  );
}
