// Borrow: pick a collection (named by its ERC-721 name) and one of your tokens, load the collection's rarity list or
// the token's proof (checked against the collection's root before anything is sent), get the chain's quote
// (Borrower.quote, at the token's rarity), borrow (the NFT approval is sent by the SDK when missing); a principal
// above a limit (the LTV bound at the token's rarity, the pool's available cash, the term) is refused on the page. Your
// loans with health, debt and time to maturity, repay (full or partial: the receipt's amount is reported) and extend
// (Borrower.quoteExtend, then extend). Without a wallet: the collection's figures.
import { type BorrowQuote, type ExtendQuote, fetchCollection, fetchPool, formatBps, formatHealth, formatWadPct, max, maxPrincipalOf, parseAmount } from "@strata-protocol/sdk";
import { type LoanHealth, deploymentFeatures, fetchLoanViews, fetchOwnedTokens } from "@strata-protocol/sdk";
import { isAddress } from "ethers";
import { useState } from "react";
import { useChainData, useStrata } from "../context.tsx";
import { LoanTimelinePanel } from "../History.tsx";
import { amount, duration, multiplier, readableError, term, when } from "../format.ts";
import { type RarityInput, type TokenRarity, checkedRarityBps, parseRarityInput, rarityForToken } from "@strata-protocol/sdk";
import { Card, ConnectHint, ErrorLine, Stat } from "../ui.tsx";

/** Health below this shows a warning (the liquidation line is 1.0). */
const HEALTH_WARNING = 12n * 10n ** 17n;

export function BorrowPage() {
  const s = useStrata();
  const account = s.clients ? s.wallet.address : null;
  return <BorrowDesk key={account ?? "read-only"} account={account} />;
}

function BorrowDesk({ account }: { account: string | null }) {
  const s = useStrata();
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = s;
  const borrower = s.clients?.borrower ?? null;
  const features = deploymentFeatures();
  const [collection, setCollection] = useState(d.collections[0] ?? "");
  const info = useChainData(() => (collection ? fetchCollection(provider, d, collection) : Promise.resolve(null)), [collection]);
  const snap = useChainData(() => fetchPool(provider, d), []);
  const tokens = useChainData(() => (collection && account ? fetchOwnedTokens(provider, collection, account) : Promise.resolve([])), [collection, account]);
  const loans = useChainData(() => (account ? fetchLoanViews(provider, d, { borrower: account }) : Promise.resolve([])), [account]);
  const [tokenId, setTokenId] = useState("");
  const [principal, setPrincipal] = useState("");
  const [days, setDays] = useState("30");
  const [delegate, setDelegate] = useState("");
  const [quote, setQuote] = useState<BorrowQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [rarity, setRarity] = useState<{ source: string; input: RarityInput } | null>(null);
  const [rarityText, setRarityText] = useState("");
  const [rarityLoadError, setRarityLoadError] = useState<string | null>(null);
  const [fileKey, setFileKey] = useState(0);

  const fmt = (x: bigint) => `${amount(x, dec, 2)} ${sym}`;
  const c = info.data;
  const pool = snap.data?.pool ?? null;
  const token = tokenId || (tokens.data && tokens.data.length > 0 ? String(tokens.data[0]) : "");
  const tokenBig = token ? BigInt(token) : null;

  const parsedInputs = (): { principal: bigint; duration: bigint } => {
    const p = parseAmount(principal, dec);
    if (!/^\d+(\.\d+)?$/.test(days.trim())) throw new Error(`"${days}" is not a number of days`);
    return { principal: p, duration: BigInt(Math.round(Number(days) * 86_400)) };
  };

  // The token's rarity (the loaded list's proof for it, or the pasted proof) and the multiplier the chain would price
  // it at; a list of another collection or a proof that does not verify is refused here, before anything is sent.
  let tokenRarity: TokenRarity | undefined;
  let rarityBps: bigint | null = null;
  let rarityError = rarityLoadError;
  if (c && rarityError === null) {
    try {
      tokenRarity = rarity && tokenBig !== null ? rarityForToken(rarity.input, tokenBig) : undefined;
      rarityBps = checkedRarityBps(c, tokenBig ?? 0n, tokenRarity);
    } catch (e) {
      rarityError = readableError(e);
    }
  }
  const maxPrincipal = c && rarityBps !== null ? maxPrincipalOf(c, rarityBps) : null;
  const ltvWords = c && rarityBps !== null ? `${formatBps(c.ltvBps)} LTV × floor ${fmt(c.floorPrice)} × rarity ${multiplier(rarityBps)}` : "";

  // The typed loan against every limit the SDK gives: the first one exceeded, in token units.
  let inputError: string | null = null;
  if (principal.trim() !== "") {
    try {
      const p = parsedInputs();
      if (c && (p.duration < c.minDuration || p.duration > c.maxDuration)) {
        inputError = `${days} days is outside the collection's term of ${term(c.minDuration)} – ${term(c.maxDuration)}`;
      } else if (maxPrincipal !== null && p.principal > maxPrincipal) {
        inputError = `above the max principal of ${fmt(maxPrincipal)} (${ltvWords})`;
      } else if (pool && p.principal > pool.availableCashAt()) {
        inputError = `above the pool's available cash of ${fmt(pool.availableCashAt())} (cash not lent out and not owed to the exit queues)`;
      }
    } catch (e) {
      inputError = readableError(e);
    }
  }
  const blocked = inputError !== null || rarityError !== null || rarityBps === null;

  const loadRarity = (text: string, source: string) => {
    setQuote(null);
    if (text.trim() === "") {
      setRarity(null);
      setRarityLoadError(null);
      return;
    }
    try {
      setRarity({ source, input: parseRarityInput(text, source) });
      setRarityLoadError(null);
    } catch (e) {
      setRarity(null);
      setRarityLoadError(readableError(e));
    }
  };
  const loadRarityFile = async (file: File | undefined) => {
    setRarityText("");
    if (!file) return loadRarity("", "");
    try {
      loadRarity(await file.text(), file.name);
    } catch (e) {
      setRarity(null);
      setRarityLoadError(`cannot read ${file.name}: ${readableError(e)}`);
    }
  };
  const pasteRarity = (text: string) => {
    setRarityText(text);
    setFileKey((k) => k + 1); // the file input forgets its file: the pasted text is the input now
    loadRarity(text, "the pasted rarity");
  };
  const changeCollection = (a: string) => {
    setCollection(a);
    setTokenId("");
    setQuote(null);
    // a rarity list is one collection's
    setRarity(null);
    setRarityText("");
    setRarityLoadError(null);
    setFileKey((k) => k + 1);
  };

  const getQuote = async () => {
    if (!borrower) return;
    setQuote(null);
    setQuoteError(null);
    try {
      const p = parsedInputs();
      setQuote(await borrower.quote(collection, p.principal, p.duration, { tokenId: tokenBig ?? undefined, rarity: tokenRarity }));
    } catch (e) {
      setQuoteError(readableError(e));
    }
  };

  const borrow = async () => {
    if (!borrower || blocked) return;
    let p: { principal: bigint; duration: bigint };
    try {
      p = parsedInputs();
      if (features.delegation && delegate && !isAddress(delegate)) throw new Error(`delegate "${delegate}" is not an address`);
    } catch (e) {
      setQuoteError(readableError(e));
      return;
    }
    setQuoteError(null);
    const params = {
      collection,
      tokenId: BigInt(token),
      principal: p.principal,
      duration: p.duration,
      ...(tokenRarity ? { rarity: tokenRarity } : {}),
      ...(features.delegation && delegate ? { delegate } : {}),
    };
    const proven = tokenRarity && tokenRarity.proof.length > 0 && rarityBps !== null ? ` at rarity ${multiplier(rarityBps)}` : "";
    const r = await s.run(`Borrow ${fmt(p.principal)} on ${s.collectionName(collection)} #${token}${proven} for ${days} d`, (o) => borrower.borrow(params, o), (x) =>
      `loan #${x.loanId} opened at ${formatWadPct(x.apr)} APR`,
    );
    if (r) {
      setQuote(null);
      setPrincipal("");
      setTokenId("");
    }
  };

  return (
    <>
      <Card title={borrower ? "New loan" : "Collections"} testId="borrow-form">
        <div className="row">
          <label>
            Collection{" "}
            <select data-testid="collection" value={collection} onChange={(e) => changeCollection(e.target.value)}>
              {d.collections.map((a) => (
                <option key={a} value={a}>
                  {s.collectionLabel(a)}
                </option>
              ))}
            </select>
          </label>
          {borrower && (
            <label>
              Your token{" "}
              <select data-testid="token" value={token} onChange={(e) => (setTokenId(e.target.value), setQuote(null))}>
                {(tokens.data ?? []).length === 0 && <option value="">none held</option>}
                {(tokens.data ?? []).map((t) => (
                  <option key={String(t)} value={String(t)}>
                    #{String(t)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {c && (
          <div className="stats">
            <Stat label="Floor" value={fmt(c.floorPrice)} hint={c.priceFresh ? `updated ${when(c.priceUpdatedAt)}` : "STALE: borrowing stopped"} warn={!c.priceFresh} testId="floor" />
            <Stat label="LTV" value={formatBps(c.ltvBps)} hint={`liquidation threshold ${formatBps(c.liquidationThresholdBps)}`} testId="ltv" />
            <Stat label="Term" value={`${term(c.minDuration)} – ${term(c.maxDuration)}`} testId="term" />
            <Stat label="Exposure" value={`${fmt(c.exposure)} of ${fmt(c.exposureCap)}`} testId="exposure" />
            <Stat
              label="Rarity"
              value={rarityBps === null ? "—" : multiplier(rarityBps)}
              hint={
                rarityError !== null
                  ? borrower
                    ? "refused: see below"
                    : rarityError
                  : tokenRarity && tokenRarity.proof.length > 0
                    ? `token #${token}, proven by ${rarity?.source} (max ${multiplier(c.maxRarityBps)})`
                    : "no proof: the collection's multiplier for tokens without one"
              }
              testId="rarity"
            />
            <Stat label="Max principal" value={maxPrincipal === null ? "—" : fmt(maxPrincipal)} hint={ltvWords} testId="max-principal" />
            {pool && <Stat label="Pool cash" value={fmt(pool.availableCashAt())} hint="available to borrow: not lent out, not owed to the exit queues" testId="available-cash" />}
            {!c.listed && <Stat label="Status" value="not listed" warn />}
            {c.paused && <Stat label="Status" value="paused" warn />}
          </div>
        )}
        <ErrorLine error={info.error ?? tokens.error ?? snap.error} />
        {borrower ? (
          <>
            <div className="row">
              <label>
                Rarity list or proof{" "}
                <input key={fileKey} type="file" accept=".json,application/json" data-testid="rarity-file" onChange={(e) => void loadRarityFile(e.target.files?.[0])} />
              </label>
              <textarea
                data-testid="rarity-text"
                rows={1}
                placeholder="…or paste it (JSON)"
                value={rarityText}
                onChange={(e) => pasteRarity(e.target.value)}
              />
            </div>
            <ErrorLine error={rarityError} testId="rarity-error" />
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
              <button data-testid="quote" onClick={() => void getQuote()} disabled={!principal || blocked}>
                Quote
              </button>
              <button data-testid="borrow" onClick={() => void borrow()} disabled={!principal || !token || blocked}>
                Borrow
              </button>
            </div>
            <ErrorLine error={inputError} testId="over-limit" />
            <ErrorLine error={quoteError} testId="quote-error" />
          </>
        ) : (
          <ConnectHint>see your tokens of this collection, load their rarity, get a quote and borrow against one; your loans are listed here then</ConnectHint>
        )}
        {quote && !blocked && (
          <div className="stats" data-testid="quote-result">
            <Stat label="APR" value={formatWadPct(quote.apr)} hint="locked at borrow (the chain's quote)" testId="quote-apr" />
            <Stat label="You receive" value={fmt(quote.amountReceived)} hint={`origination fee ${fmt(quote.originationFee)}`} testId="quote-received" />
            <Stat label="Repay at maturity" value={fmt(quote.repayAtMaturity)} hint={`interest ${fmt(quote.interestAtMaturity)}`} testId="quote-repay" />
            <Stat
              label="Max principal"
              value={fmt(quote.maxPrincipal)}
              hint={`${formatBps(quote.ltvBps)} LTV × floor × rarity ${multiplier(quote.rarityBps)}`}
              warn={quote.principal > quote.maxPrincipal}
              testId="quote-max"
            />
            <Stat label="Liquidation price" value={fmt(quote.liquidationPrice)} hint="floor below which the loan is liquidatable" testId="quote-liq" />
          </div>
        )}
      </Card>
      {account && (
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
      )}
      {account && loans.data && loans.data.length > 0 && <LoanTimelinePanel loanIds={loans.data.map((v) => v.loan.id)} />}
    </>
  );
}

function LoanRow({ v }: { v: LoanHealth }) {
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
  /** What a repayment took, from the pool's LoanRepaid event (the SDK's write result), not what was asked. */
  const paidWords = (r: { paid: bigint; closed: boolean }) => `paid ${fmt(r.paid)}${r.closed ? ": loan closed, NFT returned" : ""}`;

  let offered: bigint | null = null;
  try {
    offered = partial.trim() === "" ? null : parseAmount(partial, dec);
  } catch {
    // the click says why
  }
  // An amount that covers the debt closes the loan and the pool takes only the debt: it is repaid in full, and the SDK
  // approves the debt at execution (not the amount typed, whose rest would stay approved).
  // chain time, never before the block the loan was read at (the head poll can lag it)
  const at = () => max(s.chainNow(), l.asOf);
  const debtNow = l.debtAt(at());
  const coversDebt = offered !== null && offered >= debtNow;

  const repayPartial = async () => {
    setErr(null);
    let x: bigint;
    try {
      x = parseAmount(partial, dec);
    } catch (e) {
      setErr(readableError(e));
      return;
    }
    const debt = l.debtAt(at());
    const full = x >= debt;
    const label = full ? `Repay loan #${id} in full (${fmt(x)} offered, the debt is ${fmt(debt)})` : `Repay ${fmt(x)} of loan #${id}`;
    if (await s.run(label, (o) => borrower.repay(l.id, full ? "full" : x, o), paidWords)) setPartial("");
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
          {s.collectionLabel(l.collection)} #{String(l.tokenId)}
          {l.rarityBps !== 10_000n && <span className="muted"> ({multiplier(l.rarityBps)})</span>}
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
          <button data-testid="repay-full" onClick={() => void s.run(`Repay loan #${id} in full`, (o) => borrower.repay(l.id, "full", o), paidWords)}>
            Repay all
          </button>
        </td>
      </tr>
      <tr className="sub">
        <td colSpan={8}>
          <input data-testid="repay-amount" className="narrow" placeholder={sym} value={partial} onChange={(e) => setPartial(e.target.value)} />
          <button data-testid="repay-partial" disabled={!partial} onClick={() => void repayPartial()}>
            {coversDebt ? "Repay all" : "Repay part"}
          </button>{" "}
          {coversDebt && (
            <span className="muted" data-testid="repay-note">
              covers the debt ({fmt(debtNow)} now): repays the loan in full, only the debt is taken{" "}
            </span>
          )}
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
                onClick={() =>
                  void s
                    .run(`Extend loan #${id} by ${extendDays} d`, (o) => borrower.extend(l.id, ext.newDuration, o), (r) => `new maturity ${when(r.newMaturity)} at ${formatWadPct(r.newApr)} APR`)
                    .then(() => setExt(null))
                }
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
