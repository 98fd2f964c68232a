// strata dev warp|fund|nft: local-chain conveniences (anvil, chain 31337 only): move time, mint the dev stablecoin
// and dev NFTs (script/dev/*, open mint). Never available against a real chain.
import type { Command } from "@commander-js/extra-typings";
import { getAddress, isAddress } from "ethers";
import { LOCAL_CHAIN_ID, devCollectionAt, devStablecoinAt, fetchPool, send } from "../../index.ts";
import { type Context, UsageError, amountArg, fmt, intArg, type Run } from "../context.ts";

async function local(ctx: Context) {
  const d = await ctx.deployment();
  if (d.chainId !== LOCAL_CHAIN_ID) throw new UsageError(`strata dev only works on the local chain ${LOCAL_CHAIN_ID} (this deployment is on chain ${d.chainId})`);
  return d;
}

export function registerDev(program: Command, run: Run): void {
  const dev = program.command("dev").description(`local chain (${LOCAL_CHAIN_ID}) only: move time, mint dev tokens`);
  dev
    .command("warp")
    .description("advance the chain's clock by <seconds> and mine a block")
    .argument("<seconds>", "seconds")
    .action(
      run(async (ctx: Context, seconds: string) => {
        await local(ctx);
        const s = intArg(seconds, "seconds");
        const p = await ctx.provider();
        await p.send("evm_increaseTime", [Number(s)]);
        await p.send("evm_mine", []);
        const b = await p.getBlock("latest");
        ctx.print({ seconds: s, timestamp: b!.timestamp }, () => `warped ${s} s: chain time ${new Date(b!.timestamp * 1000).toISOString()}`);
      }),
    );
  dev
    .command("fund")
    .description("mint <amount> of the dev stablecoin to the signer (or --to)")
    .argument("<amount>", "token units")
    .option("--to <address>", "recipient (default: the signer)")
    .action(
      run(async (ctx: Context, amount: string, o: { to?: string }) => {
        const d = await local(ctx);
        const snap = await fetchPool(await ctx.provider(), d);
        const a = amountArg(amount, snap.pool.assetDecimals, "amount");
        if (o.to && !isAddress(o.to)) throw new UsageError(`--to must be an address, got "${o.to}"`);
        const signer = await ctx.signer();
        const to = o.to ? getAddress(o.to) : await signer.getAddress();
        const r = await send(devStablecoinAt(d.asset, signer), "mint", [to, a]);
        ctx.print({ to, amount: a, hash: r.hash }, () => `minted ${fmt(a, snap.pool.assetDecimals, snap.pool.assetSymbol)} to ${to}`);
      }),
    );
  dev
    .command("nft")
    .description("mint dev NFT <tokenId> of <collection> to the signer (or --to)")
    .argument("<collection>", "address, index or deployment key")
    .argument("<tokenId>", "token id")
    .option("--to <address>", "recipient (default: the signer)")
    .action(
      run(async (ctx: Context, collection: string, tokenId: string, o: { to?: string }) => {
        await local(ctx);
        const c = await ctx.collection(collection);
        const id = intArg(tokenId, "token id");
        if (o.to && !isAddress(o.to)) throw new UsageError(`--to must be an address, got "${o.to}"`);
        const signer = await ctx.signer();
        const to = o.to ? getAddress(o.to) : await signer.getAddress();
        const r = await send(devCollectionAt(c, signer), "mint", [to, id]);
        ctx.print({ collection: c, tokenId: id, to, hash: r.hash }, () => `minted token ${id} of ${c} to ${to}`);
      }),
    );
}
