// strata borrow quote|open|repay|extend|health|loans
import type { Command } from "@commander-js/extra-typings";
import { Borrower, type LoanHealth, RarityInputError, type TokenRarity, fetchPool, formatHealth, formatWadPct, showDuration } from "../../index.ts";
import { readRarityProof } from "../../node.ts";
import { type Context, UsageError, addressArg, amountArg, fmt, intArg, kvTable, table, type Run } from "../context.ts";

const DAY = 86_400n;

async function borrower(ctx: Context) {
  const d = await ctx.deployment();
  const snap = await fetchPool(await ctx.provider(), d);
  return { borrower: await Borrower.connect(await ctx.signer(), d), snap };
}

/** `tokenId`'s rarity from `--rarity <file>` (the SDK's reader; an unreadable or malformed file is a usage error). */
function rarityFromFile(file: string, tokenId: bigint): TokenRarity {
  try {
    return readRarityProof(file, tokenId);
  } catch (e) {
    if (e instanceof RarityInputError) throw new UsageError(e.message);
    throw e;
  }
}

/** An APR given in percent ("12.5") as a WAD. */
function pctArg(s: string, what: string): bigint {
  if (!/^\d+(\.\d{1,16})?$/.test(s)) throw new UsageError(`${what} must be a percentage like 12.5, got "${s}"`);
  const [i, f = ""] = s.split(".");
  return BigInt(i) * 10n ** 16n + BigInt((f + "0".repeat(16)).slice(0, 16));
}

function healthRows(h: LoanHealth, dec: number, sym: string): [string, string][] {
  const l = h.loan;
  return [
    ["loan", `${l.id} (${l.statusName})`],
    ["collection / token", `${l.collection} #${l.tokenId}`],
    ["principal", fmt(l.principal, dec, sym)],
    ["debt now", fmt(h.debt, dec, sym)],
    ["apr", formatWadPct(l.apr)],
    ["maturity", new Date(Number(l.maturity) * 1000).toISOString()],
    ["floor price", `${fmt(h.floorPrice, dec, sym)}${h.priceFresh ? "" : " (stale)"}`],
    ["liquidation price", fmt(h.liquidationPrice, dec, sym)],
    ["health", `${formatHealth(h.health)}${h.health < 12n * 10n ** 17n ? "  (below 1.2)" : ""}`],
    ["liquidatable", h.liquidatable ? `yes (${h.liquidatable})` : "no"],
  ];
}

export function registerBorrow(program: Command, run: Run): void {
  const borrow = program.command("borrow").description("borrowers: loans against an NFT");

  borrow
    .command("quote")
    .description("what a loan of <principal> for --days would cost now, and the most the LTV allows")
    .argument("<collection>", "address, index or deployment key (collections[0])")
    .argument("<principal>", "principal in token units")
    .requiredOption("--days <n>", "duration in days")
    .option("--token-id <id>", "your token (with --rarity: its multiplier raises the LTV bound)")
    .option("--rarity <file>", "rarity list of the collection (config/rarity/*.json)")
    .action(
      run(async (ctx: Context, collection: string, principal: string, o: { days: string; tokenId?: string; rarity?: string }) => {
        const c = await ctx.collection(collection);
        const d = await ctx.deployment();
        const snap = await fetchPool(await ctx.provider(), d);
        // a quote is a read: no signer needed (the signer's address when one is given)
        const b = await Borrower.connect(ctx.hasSigner() ? await ctx.signer() : await ctx.readOnlySigner(), d);
        const dec = snap.pool.assetDecimals;
        const sym = snap.pool.assetSymbol;
        const p = amountArg(principal, dec, "principal");
        const days = intArg(o.days, "--days");
        if (o.rarity && !o.tokenId) throw new UsageError("--rarity needs --token-id (the token whose multiplier to prove)");
        const tokenId = o.tokenId ? intArg(o.tokenId, "--token-id") : undefined;
        const q = await b.quote(c, p, days * DAY, { tokenId, rarity: o.rarity && tokenId !== undefined ? rarityFromFile(o.rarity, tokenId) : undefined });
        ctx.print(q, () =>
          kvTable([
            ["principal", fmt(q.principal, dec, sym)],
            ["duration", `${days} days`],
            ["apr", formatWadPct(q.apr)],
            ["origination fee", fmt(q.originationFee, dec, sym)],
            ["you receive", fmt(q.amountReceived, dec, sym)],
            ["repay at maturity", fmt(q.repayAtMaturity, dec, sym)],
            ["max principal (LTV)", `${fmt(q.maxPrincipal, dec, sym)} (${Number(q.ltvBps) / 100} % of floor x ${Number(q.rarityBps) / 10_000})`],
            ["floor price", `${fmt(q.floorPrice, dec, sym)}${q.priceFresh ? "" : " (stale: borrowing stopped)"}`],
            ["liquidation price", fmt(q.liquidationPrice, dec, sym)],
          ]),
        );
      }),
    );

  borrow
    .command("open")
    .description("borrow <principal> against token <tokenId> (NFT approval sent if missing)")
    .argument("<collection>", "address, index or deployment key (collections[0])")
    .argument("<tokenId>", "your token id")
    .argument("<principal>", "principal in token units")
    .requiredOption("--days <n>", "duration in days")
    .option("--max-apr <pct>", "refuse a rate above this APR in percent (default: the quote + 0.1)")
    .option("--rarity <file>", "rarity list of the collection, for the token's proof (config/rarity/*.json)")
    .option("--delegate <address>", "keep the NFT's utility: delegate it (delegate.xyz v2) to this address while locked")
    .action(
      run(async (ctx: Context, collection: string, tokenId: string, principal: string, o: { days: string; maxApr?: string; rarity?: string; delegate?: string }) => {
        const c = await ctx.collection(collection);
        const { borrower: b, snap } = await borrower(ctx);
        const dec = snap.pool.assetDecimals;
        const id = intArg(tokenId, "token id");
        const r = await b.borrow(
          {
            collection: c,
            tokenId: id,
            principal: amountArg(principal, dec, "principal"),
            duration: intArg(o.days, "--days") * DAY,
            maxApr: o.maxApr ? pctArg(o.maxApr, "--max-apr") : undefined,
            rarity: o.rarity ? rarityFromFile(o.rarity, id) : undefined,
            delegate: o.delegate ? addressArg(o.delegate, "--delegate") : undefined,
          },
          { onSent: ctx.onSent },
        );
        ctx.print({ loanId: r.loanId, apr: r.apr, hash: r.hash }, () => `loan ${r.loanId} opened at ${formatWadPct(r.apr)} APR (tx ${r.hash})`);
      }),
    );

  borrow
    .command("delegate")
    .description("name the delegate.xyz v2 delegate of loan <id>'s NFT (0x0 clears); the previous one is revoked")
    .argument("<loanId>", "loan id")
    .argument("<address>", "the delegate, or 0x0000000000000000000000000000000000000000 to clear")
    .action(
      run(async (ctx: Context, loanId: string, address: string) => {
        const id = intArg(loanId, "loan id");
        const to = addressArg(address, "delegate");
        const { borrower: b } = await borrower(ctx);
        const r = await b.setDelegate(id, to, { onSent: ctx.onSent });
        ctx.print({ loanId: id, previous: r.previous, delegate: r.delegate, hash: r.hash }, () => `loan ${id}: delegate ${r.previous} -> ${r.delegate} (tx ${r.hash})`);
      }),
    );

  borrow
    .command("repay")
    .description('repay loan <id>: "full" (default, the NFT comes back) or a partial amount covering the interest due')
    .argument("<loanId>", "loan id")
    .argument("[amount]", 'token units, or "full"', "full")
    .option("--for <borrower>", "pay toward another borrower's loan (allowed: its NFT goes back to that borrower): name the borrower to confirm")
    .action(
      run(async (ctx: Context, loanId: string, amount: string, o: { for?: string }) => {
        const id = intArg(loanId, "loan id");
        const onBehalfOf = o.for !== undefined ? addressArg(o.for, "--for") : undefined;
        const { borrower: b, snap } = await borrower(ctx);
        const dec = snap.pool.assetDecimals;
        const r = await b.repay(id, amount === "full" ? "full" : amountArg(amount, dec, "amount"), { onSent: ctx.onSent, onBehalfOf });
        ctx.print({ loanId: id, paid: r.paid, closed: r.closed, hash: r.hash }, () => `paid ${fmt(r.paid, dec, snap.pool.assetSymbol)} on loan ${id}${r.closed ? ": closed, NFT returned" : ""} (tx ${r.hash})`);
      }),
    );

  borrow
    .command("extend")
    .description("extend loan <id>: pay the interest due and start a new term of --days from now, at today's rate (SPEC §3.9)")
    .argument("<loanId>", "loan id")
    .requiredOption("--days <n>", "the new term in days, counted from now (not added to the current term)")
    .option("--max-apr <pct>", "refuse a rate above this APR in percent")
    .action(
      run(async (ctx: Context, loanId: string, o: { days: string; maxApr?: string }) => {
        const id = intArg(loanId, "loan id");
        const { borrower: b } = await borrower(ctx);
        const r = await b.extend(id, intArg(o.days, "--days") * DAY, { onSent: ctx.onSent, maxApr: o.maxApr ? pctArg(o.maxApr, "--max-apr") : undefined });
        const snap = await fetchPool(await ctx.provider(), await ctx.deployment());
        const at = (t: bigint) => new Date(Number(t) * 1000).toISOString();
        const moved = r.newMaturity - r.oldMaturity;
        const by = `${moved < 0n ? "-" : "+"}${showDuration(moved < 0n ? -moved : moved)}`;
        ctx.print({ loanId: id, newApr: r.newApr, oldMaturity: r.oldMaturity, newMaturity: r.newMaturity, interestPaid: r.interestPaid, hash: r.hash }, () =>
          [
            `loan ${id} extended at ${formatWadPct(r.newApr)} APR: interest paid ${fmt(r.interestPaid, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`,
            `maturity ${at(r.oldMaturity)} -> ${at(r.newMaturity)} (${by}: the new ${o.days}-day term started now, SPEC §3.9)`,
          ].join("\n"),
        );
      }),
    );

  borrow
    .command("health")
    .description("debt, health, liquidation price of loan <id>")
    .argument("<loanId>", "loan id")
    .action(
      run(async (ctx: Context, loanId: string) => {
        const id = intArg(loanId, "loan id");
        const d = await ctx.deployment();
        const snap = await fetchPool(await ctx.provider(), d);
        const b = await Borrower.connect(await ctx.readOnlySigner(), d);
        const h = await b.health(id);
        ctx.print(h, () => kvTable(healthRows(h, snap.pool.assetDecimals, snap.pool.assetSymbol)));
      }),
    );

  borrow
    .command("loans")
    .description("your active loans (or --account's) with debt and health")
    .option("--account <address>", "whose loans (default: the signer)")
    .action(
      run(async (ctx: Context, o: { account?: string }) => {
        const d = await ctx.deployment();
        const snap = await fetchPool(await ctx.provider(), d);
        const b = await Borrower.connect(o.account ? await ctx.readOnlySigner(o.account) : await ctx.signer(), d);
        const loans = await b.loans();
        const rows = await Promise.all(loans.map((l) => b.health(l.id)));
        const dec = snap.pool.assetDecimals;
        ctx.print(rows, () =>
          rows.length === 0
            ? "no active loan"
            : table(
                ["loan", "token", "principal", "debt", "apr", "maturity", "health"],
                rows.map((h) => [
                  String(h.loan.id),
                  `${h.loan.collection.slice(0, 8)}… #${h.loan.tokenId}`,
                  fmt(h.loan.principal, dec),
                  fmt(h.debt, dec),
                  formatWadPct(h.loan.apr),
                  new Date(Number(h.loan.maturity) * 1000).toISOString().slice(0, 16),
                  formatHealth(h.health),
                ]),
              ),
        );
      }),
    );
}
