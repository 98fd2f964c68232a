// Lend: deposit / withdraw / redeem / request an exit in either tranche, cancel or claim requests. Previews are the
// tranche entity's (the vault's own rounding); limits and their reasons are the Lender client's.
import {
  type LenderLimits,
  type Position,
  type TrancheName,
  describeQueueHold,
  erc20At,
  fetchPool,
  fetchPosition,
  formatAmount,
  parseAmount,
} from "@strata-protocol/sdk";
import { useState } from "react";
import { useChainData, useStrata } from "../context.tsx";
import { PositionRisk } from "../Risk.tsx";
import { amount, duration, readableError, when } from "../format.ts";
import { Card, ErrorLine, NeedsWallet, Stat } from "../ui.tsx";

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
      <NeedsWallet>{s.wallet.address && <TrancheDesk key={`${tranche}-${s.wallet.address}`} tranche={tranche} account={s.wallet.address} />}</NeedsWallet>
    </>
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

  const limitOf: Record<Mode, { value: bigint; text: string; why: string }> = {
    deposit: { value: limits.maxDeposit, text: assetFmt(limits.maxDeposit), why: limits.depositReason },
    // "max" fills what can actually be deposited: the vault's limit or the wallet, whichever is lower.
    withdraw: { value: limits.maxWithdraw, text: assetFmt(limits.maxWithdraw), why: limits.exitReason },
    redeem: { value: limits.maxRedeem, text: shareFmt(limits.maxRedeem), why: limits.exitReason },
    request: {
      value: position.shares,
      text: shareFmt(position.shares),
      why: limits.noticePeriod === null ? "your wallet shares; served as cash allows" : `your wallet shares; served no earlier than ${duration(limits.noticePeriod)} after the request`,
    },
  };
  const limit = limitOf[mode];

  let preview = "";
  if (parsed !== null && parsed > 0n) {
    if (mode === "deposit") preview = `you receive ≈ ${shareFmt(tr.previewDeposit(parsed))} (previewDeposit, rounded down)`;
    // The junior is an ERC-7540 vault: withdraw/redeem claim what was served to you (no preview: it reverts there).
    if (mode === "withdraw")
      preview = tr.asyncExitsOnly
        ? `claims ${assetFmt(parsed)} of the ${assetFmt(limits.maxWithdraw)} served to you (ERC-7540 withdraw)`
        : `burns ${shareFmt(tr.previewWithdraw(parsed))} (previewWithdraw, rounded up)`;
    if (mode === "redeem")
      preview = tr.asyncExitsOnly
        ? `claims ${shareFmt(parsed)} of your ${shareFmt(limits.maxRedeem)} served shares, worth ${assetFmt(limits.maxWithdraw)} in all (ERC-7540 redeem)`
        : `you receive ${assetFmt(tr.previewRedeem(parsed))} (previewRedeem, rounded down)`;
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
          <Stat label="Value" value={assetFmt(position.value)} hint="previewRedeem of your shares" testId="position-value" />
          <Stat label="Max deposit" value={assetFmt(limits.maxDeposit)} hint={limits.depositReason} testId="max-deposit" />
          <Stat label={tr.asyncExitsOnly ? "Claimable (withdraw)" : "Max withdraw"} value={assetFmt(limits.maxWithdraw)} hint={limits.exitReason} testId="max-withdraw" />
          <Stat label={tr.asyncExitsOnly ? "Claimable (redeem)" : "Max redeem"} value={shareFmt(limits.maxRedeem)} hint={limits.exitReason} testId="max-redeem" />
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
              const x = mode === "deposit" && balance < limit.value ? balance : limit.value;
              setInput(formatAmount(x, unit === "assets" ? dec : sdec, { group: false }));
            }}
          >
            max
          </button>
          <button data-testid="submit" disabled={parsed === null || parsed === 0n} onClick={() => void submit()}>
            {MODES.find((m) => m.key === mode)!.label}
          </button>
        </div>
        <p className="muted" data-testid="limit">
          limit {limit.text}: {limit.why}
        </p>
        {parseError && <ErrorLine error={parseError} testId="parse-error" />}
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
