// Reads a deployment's state and formats it as plain-text tables (`strata status`, end of `strata demo`).
import { type Provider, formatUnits } from "ethers";
import { connectContracts } from "./contracts.ts";
import type { Deployment } from "./deployment.ts";

const LOAN_STATUS = ["None", "Active", "Repaid", "Liquidating", "Liquidated"];
const SENIOR = 0;
const JUNIOR = 1;

export interface TrancheStatus {
  value: bigint;
  supply: bigint;
  shareDecimals: number;
  sharePrice: bigint; // assets per whole share, in asset units
}

export interface LoanRow {
  id: number;
  collection: string;
  tokenId: bigint;
  principal: bigint;
  apr: bigint;
  maturity: number;
  status: string;
  debt: bigint;
}

export interface Status {
  timestamp: number;
  assetSymbol: string;
  assetDecimals: number;
  nav: bigint;
  cash: bigint;
  availableCash: bigint;
  totalPrincipal: bigint;
  seniorClaim: bigint;
  seniorRate: bigint;
  senior: TrancheStatus;
  junior: TrancheStatus;
  loans: LoanRow[];
}

export async function readStatus(d: Deployment, provider: Provider, maxLoans = 20): Promise<Status> {
  const c = connectContracts(d, provider);
  const block = await provider.getBlock("latest");
  const [assetSymbol, assetDecimals, nav, cash, availableCash, totalPrincipal, seniorClaim, params, nextLoanId] =
    await Promise.all([
      c.asset.symbol() as Promise<string>,
      c.asset.decimals() as Promise<bigint>,
      c.pool.nav() as Promise<bigint>,
      c.pool.cash() as Promise<bigint>,
      c.pool.availableCash() as Promise<bigint>,
      c.pool.totalPrincipal() as Promise<bigint>,
      c.pool.seniorClaim() as Promise<bigint>,
      c.pool.parameters() as Promise<bigint[]>,
      c.pool.nextLoanId() as Promise<bigint>,
    ]);
  const tranche = async (vault: typeof c.senior, t: number): Promise<TrancheStatus> => {
    const shareDecimals = Number(await vault.decimals());
    const [value, supply, sharePrice] = await Promise.all([
      c.pool.trancheValue(t) as Promise<bigint>,
      vault.totalSupply() as Promise<bigint>,
      vault.convertToAssets(10n ** BigInt(shareDecimals)) as Promise<bigint>,
    ]);
    return { value, supply, shareDecimals, sharePrice };
  };
  const first = Math.max(1, Number(nextLoanId) - maxLoans);
  const loans: LoanRow[] = [];
  for (let id = first; id < Number(nextLoanId); id++) {
    const l = await c.pool.loan(id);
    const status = LOAN_STATUS[Number(l.status)] ?? String(l.status);
    loans.push({
      id,
      collection: l.collection,
      tokenId: l.tokenId,
      principal: l.principal,
      apr: l.apr,
      maturity: Number(l.maturity),
      status,
      debt: status === "Active" ? await c.lens.debt(id) : 0n,
    });
  }
  return {
    timestamp: block?.timestamp ?? 0,
    assetSymbol,
    assetDecimals: Number(assetDecimals),
    nav,
    cash,
    availableCash,
    totalPrincipal,
    seniorClaim,
    seniorRate: params[0],
    senior: await tranche(c.senior, SENIOR),
    junior: await tranche(c.junior, JUNIOR),
    loans,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

export function formatStatus(d: Deployment, s: Status): string {
  const amt = (x: bigint) => Number(formatUnits(x, s.assetDecimals)).toLocaleString("en-US", { maximumFractionDigits: 2 });
  const pct = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(2)} %`;
  const price = (t: TrancheStatus) => Number(formatUnits(t.sharePrice, s.assetDecimals)).toFixed(6);
  const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
  const out: string[] = [];
  out.push(`Strata on chain ${d.chainId} at ${new Date(s.timestamp * 1000).toISOString()}`, "");
  out.push(
    table([
      ["contract", "address"],
      ["timelock (governance)", d.timelock],
      ["pool", d.pool],
      ["senior vault", d.seniorVault],
      ["junior vault", d.juniorVault],
      ["collection registry", d.registry],
      ["appraisal oracle", d.oracle],
      ["liquidator", d.liquidator],
      [`asset (${s.assetSymbol})`, d.asset],
    ]),
    "",
  );
  out.push(
    table([
      ["pool", s.assetSymbol],
      ["NAV", amt(s.nav)],
      ["cash", amt(s.cash)],
      ["available cash", amt(s.availableCash)],
      ["principal lent", amt(s.totalPrincipal)],
      ["senior claim", amt(s.seniorClaim)],
      ["senior rate", pct(s.seniorRate)],
    ]),
    "",
  );
  out.push(
    table([
      ["tranche", "value", "shares", "share price", "share of NAV"],
      ["senior", amt(s.senior.value), Number(formatUnits(s.senior.supply, s.senior.shareDecimals)).toFixed(2), price(s.senior), s.nav ? `${((Number(s.senior.value) / Number(s.nav)) * 100).toFixed(2)} %` : "-"],
      ["junior", amt(s.junior.value), Number(formatUnits(s.junior.supply, s.junior.shareDecimals)).toFixed(2), price(s.junior), s.nav ? `${((Number(s.junior.value) / Number(s.nav)) * 100).toFixed(2)} %` : "-"],
    ]),
    "",
  );
  if (s.loans.length === 0) out.push("no loans");
  else
    out.push(
      table([
        ["loan", "collection", "token", "principal", "apr", "maturity", "status", "debt now"],
        ...s.loans.map((l) => [
          `#${l.id}`,
          short(l.collection),
          String(l.tokenId),
          amt(l.principal),
          pct(l.apr),
          new Date(l.maturity * 1000).toISOString().slice(0, 10),
          l.status,
          l.status === "Active" ? amt(l.debt) : "-",
        ]),
      ]),
    );
  return out.join("\n");
}
