// Strata's indexed history (docs/INDEXER.md describes every table). Amounts are the asset's base units (bigint),
// rates and utilization WAD (1e18 = 100 %), times Unix seconds; ids of event rows are `<block>-<log index>`.
import { index, onchainTable } from "ponder";

/** The pool at each event of the pool, a vault or the liquidator (read at that event's block). */
export const poolSnapshot = onchainTable(
  "pool_snapshot",
  (t) => ({
    id: t.text().primaryKey(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    contract: t.text().notNull(),
    event: t.text().notNull(),
    nav: t.bigint().notNull(),
    cash: t.bigint().notNull(),
    totalPrincipal: t.bigint().notNull(),
    /** utilization(totalPrincipal, cash), WAD (the SDK's math). */
    utilization: t.bigint().notNull(),
    seniorClaim: t.bigint().notNull(),
    seniorValue: t.bigint().notNull(),
    juniorValue: t.bigint().notNull(),
    seniorSupply: t.bigint().notNull(),
    juniorSupply: t.bigint().notNull(),
    /** Assets per whole share (vault `convertToAssets(10^decimals)`), asset base units. */
    seniorSharePrice: t.bigint().notNull(),
    juniorSharePrice: t.bigint().notNull(),
    /** Realised losses so far (sum of LiquidationSettled.loss). */
    cumulativeLoss: t.bigint().notNull(),
  }),
  (t) => ({ block: index().on(t.blockNumber) }),
);

/** Running totals of the pool (one row, id "pool"). */
export const poolTotals = onchainTable("pool_totals", (t) => ({
  id: t.text().primaryKey(),
  cumulativeLoss: t.bigint().notNull(),
  /** The block of the first deposit: snapshots start there (before it, share prices do not exist). */
  firstDepositBlock: t.bigint(),
}));

/** One loan: its terms at origination and where it stands now. */
export const loan = onchainTable(
  "loan",
  (t) => ({
    id: t.bigint().primaryKey(),
    borrower: t.hex().notNull(),
    collection: t.hex().notNull(),
    tokenId: t.bigint().notNull(),
    principal: t.bigint().notNull(),
    principalOutstanding: t.bigint().notNull(),
    apr: t.bigint().notNull(),
    maturity: t.bigint().notNull(),
    rarityBps: t.bigint().notNull(),
    originationFee: t.bigint().notNull(),
    liquidationThresholdBps: t.integer().notNull(),
    liquidationPenaltyBps: t.integer().notNull(),
    lateFeeBps: t.integer().notNull(),
    gracePeriod: t.bigint().notNull(),
    /** active | repaid | liquidating | sold | redeemed | recovering | recovered */
    status: t.text().notNull(),
    delegate: t.hex(),
    interestPaid: t.bigint().notNull(),
    lateFeePaid: t.bigint().notNull(),
    protocolFeePaid: t.bigint().notNull(),
    repayments: t.integer().notNull(),
    extensions: t.integer().notNull(),
    auctionOwed: t.bigint(),
    salePrice: t.bigint(),
    /** Shortfall booked at settlement (LiquidationSettled.loss). */
    loss: t.bigint(),
    /** Surplus over book at settlement (LiquidationSettled.gainOverBook). */
    gainOverBook: t.bigint(),
    /** The borrower's surplus from the sale (AuctionSold.surplus). */
    borrowerSurplus: t.bigint(),
    originatedBlock: t.bigint().notNull(),
    originatedAt: t.bigint().notNull(),
    closedAt: t.bigint(),
  }),
  (t) => ({ borrower: index().on(t.borrower), collection: index().on(t.collection) }),
);

/** Every event of a loan, in order: the loan's timeline. `data` holds the event's arguments (amounts as strings). */
export const loanEvent = onchainTable(
  "loan_event",
  (t) => ({
    id: t.text().primaryKey(),
    loanId: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    kind: t.text().notNull(),
    data: t.json().notNull(),
  }),
  (t) => ({ loan: index().on(t.loanId) }),
);

/** One lender in one tranche: flows and position (P&L and yield come from the SDK, `fetchLenderHistory`). */
export const lender = onchainTable(
  "lender",
  (t) => ({
    id: t.text().primaryKey(), // `${tranche}:${account}`
    account: t.hex().notNull(),
    tranche: t.text().notNull(), // senior | junior
    deposited: t.bigint().notNull(),
    /** Instant exits (Withdraw) and claims (RedeemClaimed), assets received. */
    exited: t.bigint().notNull(),
    /** Vault shares held (balanceOf at the last event). */
    shares: t.bigint().notNull(),
    /** Shares locked in open queue requests (requested, not served or cancelled). */
    pendingShares: t.bigint().notNull(),
    /** Assets served to the lender's requests and not yet claimed. */
    claimableAssets: t.bigint().notNull(),
    deposits: t.integer().notNull(),
    exits: t.integer().notNull(),
    firstDepositAt: t.bigint(),
    lastEventAt: t.bigint().notNull(),
  }),
  (t) => ({ account: index().on(t.account) }),
);

/** Every flow of a lender: deposit, withdraw, request, cancel, served, claim, transfer-in, transfer-out. */
export const lenderEvent = onchainTable(
  "lender_event",
  (t) => ({
    id: t.text().primaryKey(),
    account: t.hex().notNull(),
    tranche: t.text().notNull(),
    kind: t.text().notNull(),
    assets: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    requestId: t.bigint(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (t) => ({ account: index().on(t.account) }),
);

/** A redemption request: its notice (serviceableAt) and service. */
export const redeemRequest = onchainTable("redeem_request", (t) => ({
  id: t.text().primaryKey(), // `${tranche}:${requestId}`
  tranche: t.text().notNull(),
  requestId: t.bigint().notNull(),
  controller: t.hex().notNull(),
  owner: t.hex().notNull(),
  shares: t.bigint().notNull(),
  requestedAt: t.bigint().notNull(),
  /** The end of its notice period (vault `serviceableAt(id)` at the request's block); null: no notice. */
  serviceableAt: t.bigint(),
  /** pending | served | claimed | cancelled */
  status: t.text().notNull(),
  servedAssets: t.bigint(),
  servedAt: t.bigint(),
  claimedAssets: t.bigint(),
  claimedAt: t.bigint(),
}));

/** A listed collection: parameters, exposure, price, defaults and recoveries. */
export const collection = onchainTable("collection", (t) => ({
  id: t.hex().primaryKey(),
  listed: t.boolean().notNull(),
  paused: t.boolean().notNull(),
  /** The registry's parameters as last configured (CollectionConfigured.newParams, amounts as strings). */
  params: t.json(),
  noProofRarityBps: t.bigint(),
  /** The pool's exposure to it (`exposure(collection)`) after its last loan event. */
  exposure: t.bigint().notNull(),
  floorPrice: t.bigint(),
  priceUpdatedAt: t.bigint(),
  loans: t.integer().notNull(),
  defaults: t.integer().notNull(),
  /** What liquidations brought the pool (LiquidationSettled.toPool). */
  recovered: t.bigint().notNull(),
  loss: t.bigint().notNull(),
}));

/** Every oracle price push. */
export const priceUpdate = onchainTable(
  "price_update",
  (t) => ({
    id: t.text().primaryKey(),
    collection: t.hex().notNull(),
    reporter: t.hex().notNull(),
    price: t.bigint().notNull(),
    oldValue: t.bigint().notNull(),
    newValue: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ collection: index().on(t.collection) }),
);

/** One call of a timelock operation (CallScheduled, CallExecuted, Cancelled). */
export const governanceCall = onchainTable("governance_call", (t) => ({
  id: t.text().primaryKey(), // `${opId}:${index}`
  opId: t.hex().notNull(),
  index: t.bigint().notNull(),
  target: t.hex().notNull(),
  value: t.bigint().notNull(),
  data: t.hex().notNull(),
  predecessor: t.hex().notNull(),
  delay: t.bigint().notNull(),
  /** scheduled | executed | cancelled */
  status: t.text().notNull(),
  scheduledAt: t.bigint().notNull(),
  scheduledBlock: t.bigint().notNull(),
  executedAt: t.bigint(),
  executedBlock: t.bigint(),
}));

/** Every parameter, role, pause, listing and upgrade event, with its old and new values (as strings). */
export const parameterChange = onchainTable("parameter_change", (t) => ({
  id: t.text().primaryKey(),
  contract: t.text().notNull(),
  address: t.hex().notNull(),
  event: t.text().notNull(),
  /** The event's arguments: old and new values side by side (amounts as strings). */
  args: t.json().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));
