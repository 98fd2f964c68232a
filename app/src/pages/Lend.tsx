// Lend: deposit / withdraw / redeem / request an exit in either tranche, cancel or claim requests. Previews are the
// tranche entity's (the vault's own rounding); limits and their reasons are the Lender client's: an amount above one
// is refused on the page (the limit named in token units), before anything is sent. Without a wallet: the tranche's
// figures from the pool snapshot.
import {
  type LenderLimits,
  type Position,
  type TrancheEntity,
  type TrancheName,
  describeLimiter,
  describeQueueHold,
  erc20At,
  fetchPool,
  fetchPosition,
  formatAmount,
  formatLimit,
  formatWadPct,
  parseAmount,
  queueView,
} from "@strata-protocol/sdk";
import { useState } from "react";
import { useChainData, useStrata } from "../context.tsx";
import { LenderHistoryPanel } from "../History.tsx";
import { PositionRisk } from "../Risk.tsx";
import { amount, duration, plainWords, readableError, when } from "../format.ts";
import { Card, ConnectHint, ErrorLine, Stat } from "../ui.tsx";

type Mode = "deposit" | "withdraw" | "redeem" | "request";
const MODES: { key: Mode; label: string; unit: "assets" | "shares" }[] = [
  { key: "deposit", label: "Deposit", unit: "assets" },
  { key: "withdraw", label: "Withdraw", unit: "assets" },
  { key: "redeem", label: "Redeem", unit: "shares" },
  { key: "request", label: "Request exit", unit: "shares" },
];

export function LendPage() {
  const s = useStrata();
  const [tranche, setTranche] = useState<TrancheName>("senior");
  return (
    <>
      <div className="tabs">
        {(["senior", "junior"] as const).map((t) => (
          <button key={t} className={t === tranche ? "active" : ""} onClick={() => setTranche(t)} data-testid={`tranche-tab-${t}`}>
            {t === "senior" ? "Senior" : "Junior"}
          </button>
        ))}
      </div>
      {s.wallet.address && s.clients ? (
        <TrancheDesk key={`${tranche}-${s.wallet.address}`} tranche={tranche} account={s.wallet.address} />
      ) : (
        <TrancheFigures key={tranche} tranche={tranche} />
      )}
      {s.wallet.address && <LenderHistoryPanel key={s.wallet.address} account={s.wallet.address} />}
    </>
  );
}

/** How a tranche is left, in user words: the senior instantly up to its limit, the junior by a request and a notice. */
function exitWords(tr: TrancheEntity, instant: string): string {
  if (tr.asyncExitsOnly) return `request a withdrawal: it is served after the ${duration(tr.noticePeriod ?? 0n)} notice period, as cash allows; then claim it`;
  return `instant up to ${instant}; beyond that, request a withdrawal: it is served as cash allows`;
}

/** Read-only mode: the tranche's figures (the pool snapshot's), and what choosing a wallet enables. */
function TrancheFigures({ tranche }: { tranche: TrancheName }) {
  const s = useStrata();
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = s;
  const snap = useChainData(() => fetchPool(provider, d), []);
  if (!snap.data) return snap.error ? <ErrorLine error={snap.error} /> : <p>Loading…</p>;
  const tr = snap.data.tranche(tranche);
  const pool = snap.data.pool;
  const q = queueView(snap.data, tr);
  const dep = pool.maxDepositLimit(tr.tranche);
  const maxDeposit = tr.maxDeposit();
  const fmt = (x: bigint, digits = 2) => `${amount(x, dec, digits)} ${sym}`;
  return (
    <Card title={`${tranche === "senior" ? "Senior" : "Junior"} tranche`} testId="tranche-figures">
      <div className="stats">
        <Stat label="Share price" value={fmt(tr.sharePrice, 6)} hint="assets per whole share" testId="figures-share-price" />
        <Stat label="Value" value={fmt(tr.totalAssetsAt())} testId="figures-value" />
        <Stat label="APR" value={formatWadPct(tr.yield.apr)} hint={tr.yield.basis} testId="figures-apr" />
        <Stat label="APY" value={formatWadPct(tr.yield.apy)} hint="the APR compounded per second over a year" testId="figures-apy" />
        <Stat
          label="Max deposit"
          value={formatLimit({ value: maxDeposit, limiter: dep.limiter }, dec, { maxDecimals: 4, symbol: sym })}
          hint={dep.limiter === "ledger" ? undefined : describeLimiter(dep.limiter, { minJuniorRatioBps: pool.minJuniorRatioBps })}
          testId="figures-max-deposit"
        />
        <Stat label="Exits" value={tr.asyncExitsOnly ? "by request" : "instant or by request"} hint={exitWords(tr, fmt(tr.instantLimit()))} testId="figures-exits" />
        <Stat
          label="Queue"
          value={`${q.requestsInLine} request${q.requestsInLine === 1n ? "" : "s"} · ${fmt(q.pendingValue)}`}
          hint={q.holdText ?? `servable now ${fmt(q.servableNow)}`}
          testId="figures-queue"
        />
      </div>
      <ConnectHint>deposit in this tranche, withdraw or request a withdrawal, and see your shares, their value and your requests</ConnectHint>
    </Card>
  );
}

interface DeskData {
  position: Position;
  limits: LenderLimits;
  balance: bigint;
}

function TrancheDesk({ tranche, account }: { tranche: TrancheName; account: string }) {
  const s = useStrata();
  const { provider, deployment: d, assetDecimals: dec, assetSymbol: sym } = s;
  const lender = s.clients!.lender;
  const desk = useChainData<DeskData>(async () => {
    const [position, limits, balance] = await Promise.all([
      fetchPosition(provider, d, account, tranche),
      lender.limits(tranche),
      erc20At(d.asset, provider).balanceOf(account),
    ]);
    return { position, limits, balance };
  }, [tranche, account]);
  const snap = useChainData(() => fetchPool(provider, d), []);
  const [mode, setMode] = useState<Mode>("deposit");
  const [input, setInput] = useState("");

  if (!desk.data || !snap.data) return desk.error ? <ErrorLine error={desk.error} /> : <p>Loading…</p>;
  const { position, limits, balance } = desk.data;
  const tr = snap.data.tranche(tranche);
  const pool = snap.data.pool;
  const hold = pool.queueHoldAt(tr.tranche);
  const sdec = tr.shareDecimals;
  const unit = MODES.find((m) => m.key === mode)!.unit;
  const now = s.chainNow();

  let parsed: bigint | null = null;
  let parseError: string | null = null;
  if (input.trim() !== "") {
    try {
      parsed = parseAmount(input, unit === "assets" ? dec : sdec);
    } catch (e) {
      parseError = readableError(e);
    }
  }
  const shareFmt = (x: bigint) => `${amount(x, sdec, 4)} shares`;
  const assetFmt = (x: bigint) => `${amount(x, dec, 4)} ${sym}`;

  const maxDepositText = formatLimit({ value: limits.maxDeposit, limiter: limits.depositLimiter }, dec, { maxDecimals: 4, symbol: sym });
  // The junior's exits are claims of what was served (ERC-7540): its limits' reason in user words, not the SDK's.
  const exitWhy = tr.asyncExitsOnly ? `what was served to you and not yet claimed; to exit, ${exitWords(tr, "")}` : plainWords(limits.exitReason);
  const limitOf: Record<Mode, { name: string; value: bigint; text: string; why: string | null }> = {
    deposit: {
      name: "max deposit",
      value: limits.maxDeposit,
      text: maxDepositText,
      why: limits.depositLimiter === "ledger" ? null : limits.depositReason,
    },
    withdraw: { name: tr.asyncExitsOnly ? "claimable amount" : "max withdraw", value: limits.maxWithdraw, text: assetFmt(limits.maxWithdraw), why: exitWhy },
    redeem: { name: tr.asyncExitsOnly ? "claimable shares" : "max redeem", value: limits.maxRedeem, text: shareFmt(limits.maxRedeem), why: exitWhy },
    request: {
      name: "shares in your wallet",
      value: position.shares,
      text: shareFmt(position.shares),
      why: limits.noticePeriod === null ? "served as cash allows" : `served no earlier than ${duration(limits.noticePeriod)} after the request, as cash allows`,
    },
  };
  const limit = limitOf[mode];

  // An amount above the limit (or, for a deposit, above the wallet) is refused here, in token units, before any send.
  let overLimit: string | null = null;
  if (parsed !== null && parsed > limit.value) overLimit = `above the ${limit.name} of ${limit.text}${limit.why ? ` (${limit.why})` : ""}`;
  else if (parsed !== null && mode === "deposit" && parsed > balance) overLimit = `above your wallet balance of ${assetFmt(balance)}`;

  let preview = "";
  if (parsed !== null && parsed > 0n && overLimit === null) {
    if (mode === "deposit") preview = `you receive ≈ ${shareFmt(tr.previewDeposit(parsed))} (rounded down)`;
    // The junior is an ERC-7540 vault: withdraw/redeem claim what was served to you (no preview: it reverts there).
    if (mode === "withdraw")
      preview = tr.asyncExitsOnly
        ? `claims ${assetFmt(parsed)} of the ${assetFmt(limits.maxWithdraw)} served to you`
        : `burns ${shareFmt(tr.previewWithdraw(parsed))} (rounded up)`;
    if (mode === "redeem")
      preview = tr.asyncExitsOnly
        ? `claims ${shareFmt(parsed)} of your ${shareFmt(limits.maxRedeem)} served shares, worth ${assetFmt(limits.maxWithdraw)} in all`
        : `you receive ${assetFmt(tr.previewRedeem(parsed))} (rounded down)`;
    if (mode === "request") preview = `worth ${assetFmt(tr.convertToAssets(parsed))} at today's price; paid at the price when served`;
  }

  const submit = async () => {
    if (parsed === null) return;
    const x = parsed;
    const label = `${MODES.find((m) => m.key === mode)!.label} ${unit === "assets" ? assetFmt(x) : shareFmt(x)} (${tranche})`;
    const done = await s.run<unknown>(label, (opts) => {
      if (mode === "deposit") return lender.deposit(tranche, x, opts);
      if (mode === "withdraw") return lender.withdraw(tranche, x, opts);
      if (mode === "redeem") return lender.redeem(tranche, x, opts);
      return lender.requestRedeem(tranche, x, opts);
    });
    if (done) setInput("");
  };

  return (
    <>
      <Card title={`Your ${tranche} position`} testId="position">
        <div className="stats">
          <Stat label="Wallet" value={assetFmt(balance)} testId="wallet-balance" />
          <Stat label="Shares" value={shareFmt(position.shares)} testId="position-shares" />
          <Stat label="Value" value={assetFmt(position.value)} hint="what your shares redeem for now" testId="position-value" />
          <Stat label="Max deposit" value={maxDepositText} hint={limitOf.deposit.why ?? undefined} testId="max-deposit" />
          <Stat label={tr.asyncExitsOnly ? "Claimable (withdraw)" : "Max withdraw"} value={assetFmt(limits.maxWithdraw)} hint={exitWhy} testId="max-withdraw" />
          <Stat label={tr.asyncExitsOnly ? "Claimable (redeem)" : "Max redeem"} value={shareFmt(limits.maxRedeem)} hint={exitWhy} testId="max-redeem" />
          <Stat
            label="Junior notice"
            value={limits.noticePeriod === null ? "none (instant exits)" : duration(limits.noticePeriod)}
            testId="notice-period"
          />
        </div>
      </Card>
      <Card title="Act" testId="lend-form">
        <div className="tabs small">
          {MODES.map((m) => (
            <button key={m.key} className={m.key === mode ? "active" : ""} onClick={() => (setMode(m.key), setInput(""))} data-testid={`mode-${m.key}`}>
              {m.label}
            </button>
          ))}
        </div>
        <div className="row">
          <input data-testid="amount" value={input} placeholder={unit === "assets" ? `amount in ${sym}` : "shares"} onChange={(e) => setInput(e.target.value)} />
          <button
            className="link"
            data-testid="max"
            onClick={() => {
              // what can actually be deposited: the vault's limit or the wallet, whichever is lower
              const x = mode === "deposit" && balance < limit.value ? balance : limit.value;
              setInput(formatAmount(x, unit === "assets" ? dec : sdec, { group: false }));
            }}
          >
            max
          </button>
          <button data-testid="submit" disabled={parsed === null || parsed === 0n || overLimit !== null} onClick={() => void submit()}>
            {MODES.find((m) => m.key === mode)!.label}
          </button>
        </div>
        <p className="muted" data-testid="limit">
          {limit.name}: {limit.text}
          {limit.why && ` (${limit.why})`}
        </p>
        {parseError && <ErrorLine error={parseError} testId="parse-error" />}
        <ErrorLine error={overLimit} testId="over-limit" />
        {preview && (
          <p data-testid="preview" className="preview">
            {preview}
          </p>
        )}
      </Card>
      <Card title="Your exit requests" testId="requests">
        {position.requests.length === 0 ? (
          <p className="muted">No open request.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>id</th>
                <th>pending</th>
                <th>claimable</th>
                <th>stage</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {position.requests.map((r) => {
                const stage = r.stageAt(now);
                return (
                  <tr key={String(r.id)} data-testid={`request-${r.id}`}>
                    <td>#{String(r.id)}</td>
                    <td>{shareFmt(r.pendingShares)}</td>
                    <td>{assetFmt(r.claimable)}</td>
                    <td data-testid="request-stage">
                      {stage}
                      {stage === "notice" && r.serviceableAt !== null && ` until ${when(r.serviceableAt)}`}
                      {stage === "queued" && hold.reason !== null && <span data-testid="request-hold"> ({describeQueueHold(tranche, hold, pool)})</span>}
                    </td>
                    <td>
                      {r.pendingShares > 0n && (
                        <button data-testid="cancel" onClick={() => void s.run(`Cancel request #${r.id} (${tranche})`, (o) => lender.cancel(tranche, r.id, o))}>
                          Cancel
                        </button>
                      )}
                      {r.claimable > 0n && (
                        <button data-testid="claim" onClick={() => void s.run(`Claim request #${r.id} (${tranche})`, (o) => lender.claim(tranche, r.id, o))}>
                          Claim {assetFmt(r.claimable)}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
      <PositionRisk tranche={tranche} shares={position.shares + position.pendingShares} />
    </>
  );
}
