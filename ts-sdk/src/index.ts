// @strata-protocol/sdk: the library lenders, borrowers, keepers and governance build on. Browser-safe entry (no
// node:* imports); node-only helpers (deployment files, keystores, anvil, forge) are in `@strata-protocol/sdk/node`.
export * from "./entities/index.ts";
export * from "./errors.ts";
export * from "./format.ts";
export * from "./math/fixed-point.ts";
export * from "./math/waterfall.ts";
export * from "./math/interest.ts";
export * from "./math/oracle.ts";
export * from "./math/rarity.ts";
export { type Deployment, DEPLOYMENT_ADDRESS_KEYS, checkChain, loadDeployment, parseDeployment } from "./chain/deployment.ts";
export * from "./chain/contracts.ts";
export { PANIC_REASONS, type StrataEvent, decodeError, decodeRevertData, parseStrataEvents, revertDataOf, strataErrors, strataEvents } from "./chain/decode.ts";
export { type WriteOptions, type WriteResult, eventOf, exec, send, simulate } from "./chain/tx.ts";
export * from "./fetch/index.ts";
export * from "./fetch/loan-book.ts";
export * from "./fetch/views.ts";
export { BORROW, BORROW_WITH_DELEGATE, BorrowRequestError, type BorrowRequest, type RarityArg, borrowCall } from "./chain/borrow-call.ts";
export { RpcRequestError, rpcSend } from "./chain/rpc.ts";
export { ANVIL_KEYS, LOCAL_CHAIN_ID, RpcError, connectRpc, devAccount, walletFromKey } from "./chain/signers.ts";
export { StrataClient, type TokenWriteOptions } from "./clients/base.ts";
export { Lender, type LenderLimits, type TrancheRef } from "./clients/lender.ts";
export { Borrower, type BorrowParams, type BorrowQuote, type ExtendQuote } from "./clients/borrower.ts";
export { Keeper, type LiquidationCandidate, type ScanResult, type StaleDelegation, scanLiquidatable } from "./clients/keeper.ts";
export { Reporter } from "./clients/reporter.ts";
export { Governance, type GovernanceCall, type GovernanceTarget, type PendingOperation, type SafeProposal, type TimelockAction } from "./clients/governance.ts";
export * from "./chain/safe.ts";
export { STRATA_ERRORS_ABI, STRATA_EVENTS_ABI } from "./generated/errors.ts";
export * from "./history/index.ts";
