// Writes composed for user interfaces (added for the web app, app/), over the role clients.
import type { Keeper } from "./clients/keeper.ts";
import { erc20At } from "./contracts.ts";
import { send, type WriteOptions, type WriteResult } from "./tx.ts";

/**
 * Buys auction `auctionId` paying at most `maxPrice`, with the liquidator approved for `maxPrice` first (when the
 * allowance is lower). `Keeper.buy` approves the price one second ahead of the head, but the node simulates and may
 * mine the buy at the head's own timestamp, where a falling price is still higher: the pull then fails with
 * `TRANSFER_FROM_FAILED`. The contract never takes more than `maxPrice`, so approving it is exact for the buyer.
 */
export async function buyAuctionUpTo(keeper: Keeper, auctionId: bigint, maxPrice: bigint, opts: WriteOptions = {}): Promise<WriteResult & { price: bigint }> {
  const me = await keeper.address();
  const asset = erc20At(keeper.deployment.asset, keeper.signer);
  const allowance = await asset.allowance(me, keeper.deployment.liquidator);
  if (allowance < maxPrice) {
    const balance = await asset.balanceOf(me);
    // Let Keeper.buy report a short balance with its typed error rather than approving what cannot be paid.
    if (balance >= maxPrice) await send(asset, "approve", [keeper.deployment.liquidator, maxPrice], opts);
  }
  return keeper.buy(auctionId, maxPrice, opts);
}
