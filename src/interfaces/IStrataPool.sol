// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve} from "../interest/RateCurve.sol";

/// @notice The two tranches over the pool (SPEC §5).
enum Tranche {
    Senior,
    Junior
}

/// @notice A loan's life cycle (SPEC §3).
enum LoanStatus {
    None,
    Active,
    Repaid,
    Liquidating,
    Liquidated,
    /// @dev Appended in 0.3: the auction ended unsold and governance took the NFT (`recoverUnsold`); its recovery is
    ///      still pending at the estimate recorded then (still counted in liquidation, SPEC §7.5) until
    ///      `settleRecovery` books what the sale brought.
    Recovering
}

/// @notice A loan as stored: four slots. Terms agreed at origination are copied in and never change under it.
/// @dev `start` is the start of the current accrual period: origination, or the last time all interest was paid
///      (partial repayment, extension). `impairedAt` is set when the loan enters liquidation; from then on
///      `principal` is the loan's book value at impairment. A repaid loan keeps its last principal.
struct Loan {
    address borrower;
    uint40 start;
    uint40 maturity;
    LoanStatus status;
    address collection;
    uint96 principal;
    uint256 tokenId;
    uint64 apr;
    uint32 rarityBps;
    uint16 liquidationThresholdBps;
    uint16 liquidationPenaltyBps;
    uint16 lateFeeBps;
    uint16 protocolFeeBps;
    uint32 gracePeriod;
    uint40 impairedAt;
}

/// @notice Governance parameters of a listed collection (SPEC §3), each with hard bounds in `PoolParameters`.
struct CollectionParams {
    address oracle;
    uint16 ltvBps;
    uint16 liquidationThresholdBps;
    uint16 liquidationPenaltyBps;
    uint16 lateFeeBps;
    uint16 maxRarityBps;
    uint32 minDuration;
    uint32 maxDuration;
    uint96 exposureCap;
    RateCurve curve;
    bytes32 rarityRoot;
}

/// @notice A rarity multiplier and its Merkle proof against the collection's rarity root. An empty proof means 1×.
struct RarityProof {
    uint256 multiplierBps;
    bytes32[] proof;
}

/// @notice A listed collection's lending configuration as the pool keeps it (issue #30): what `borrow` and `extend`
///         read, in three slots, written only by the collection registry (`StrataPool.setCollectionConfig`) in the same
///         call as every change of the registry's own record, so the two never differ (SPEC §1.2).
/// @dev `noProofRarityBps` is the effective multiplier of a borrow without a proof (SPEC §3.4): 10,000 without a rarity
///      list, governance's value with one, 0 when a proof is required. The rarity root is kept beside it, in its own
///      slot, read only by a borrow that brings a proof.
struct CollectionConfig {
    address oracle;
    uint16 ltvBps;
    uint16 liquidationThresholdBps;
    uint16 liquidationPenaltyBps;
    uint16 lateFeeBps;
    uint16 maxRarityBps;
    uint16 noProofRarityBps;
    uint32 minDuration;
    uint32 maxDuration;
    uint96 exposureCap;
    bool listed;
    bool paused;
    RateCurve curve;
}

/// @notice What the liquidator needs to check and run an auction, returned when a loan is impaired. The liquidator
///         impairs first and checks the loan was liquidatable from these figures after (issue #30: one pool call per
///         liquidation); a loan that was not reverts the whole transaction (SPEC §7.1).
/// @dev `debt` is the debt the health rule compares (principal and interest, no late fee), `overdueAfter` the loan's
///      maturity plus its grace period, `oracle` the collection's price source (zero for a collection the pool has no
///      configuration for yet: the liquidator then asks the registry).
struct Impairment {
    uint256 debt;
    uint256 penalty;
    uint256 bookValue;
    uint256 overdueAfter;
    address collection;
    uint256 rarityBps;
    uint256 liquidationThresholdBps;
    address oracle;
}

/// @title IStrataPool
/// @notice The pool: custody of cash and collateral, the loan book, and the tranche accounting behind both vaults.
///         NAV is a closed form of O(1) state (SPEC §4); nothing loops over loans or lenders.
interface IStrataPool {
    // ---------------------------------------------------------------- errors
    error ZeroAmount();
    error NotVault(address caller);
    error NotLiquidator(address caller);
    /// @notice Only the pool's collection registry writes the pool's copy of a collection's configuration.
    error NotRegistry(address caller);
    error DepositsPaused();
    error BorrowsPaused();
    error CollectionNotListed(address collection);
    error CollectionPaused(address collection);
    error ExceedsMaxDeposit(uint256 assets, uint256 max);
    error ExceedsMaxWithdraw(uint256 assets, uint256 max);
    error InsufficientCash(uint256 requested, uint256 available);
    error DurationOutOfRange(uint256 duration, uint256 min, uint256 max);
    error StalePrice(address collection);
    error InvalidRarityProof(address collection, uint256 tokenId, uint256 multiplierBps);
    error ExceedsLtv(uint256 principal, uint256 maxPrincipal);
    error ExceedsExposureCap(address collection, uint256 exposure, uint256 cap);
    error AprAboveMax(uint256 apr, uint256 maxApr);
    error NotTokenOwner(address collection, uint256 tokenId, address caller);
    error PrincipalTooLarge(uint256 principal);
    error LoanNotActive(uint256 loanId);
    error LoanNotLiquidating(uint256 loanId);
    error NotBorrower(uint256 loanId, address caller);
    error LoanPastMaturity(uint256 loanId, uint256 maturity);
    error PaymentBelowInterest(uint256 amount, uint256 interestDue);
    error LoanUnhealthy(uint256 loanId);
    error NothingToClaim(address account);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice `initialize` was given a `what` (`asset` or `registry`) other than the one this implementation was built
    ///         with (`expected`): the implementation's immutables must be the proxy's own.
    error ImplementationMismatch(bytes32 what, address expected, address given);
    error QueueOverServed(uint256 assets, uint256 servable);
    /// @notice A collection's late fee would exceed its liquidation penalty (SPEC §8: else an overdue borrower pays
    ///         less by being liquidated and redeeming than by repaying late).
    error LateFeeAbovePenalty(uint256 lateFeeBps, uint256 liquidationPenaltyBps);
    /// @notice Loan `loanId` is not an unsold loan whose recovery is pending (SPEC §7.5).
    error LoanNotRecovering(uint256 loanId);
    /// @notice The recovery estimate of loan `loanId` would exceed its book value (SPEC §7.5).
    error RecoveryEstimateAboveBook(uint256 loanId, uint256 estimate, uint256 bookValue);
    /// @notice `collection` has a rarity list but no proof-less multiplier: a borrow of `tokenId` needs its rarity
    ///         proof (SPEC §3.4: a rarity is never understated by leaving the proof out).
    error RarityProofRequired(address collection, uint256 tokenId);

    // ---------------------------------------------------------------- events
    /// @notice `shares` of `tranche` entered (or, `cancelled`, left unserved) the redemption queue; `pendingShares`
    ///         is the queue total after.
    event RedeemQueueChanged(Tranche indexed tranche, uint256 shares, bool cancelled, uint256 pendingShares);
    /// @notice Queued `shares` of `tranche` were burnt for `assets`, paid to the vault for their owners to claim.
    event QueueServed(Tranche indexed tranche, uint256 assets, uint256 shares);
    /// @notice A loan was opened against `collection` token `tokenId` at the locked `apr` (SPEC §3).
    event LoanOriginated(
        uint256 indexed loanId,
        address indexed borrower,
        address indexed collection,
        uint256 tokenId,
        uint256 principal,
        uint256 apr,
        uint256 maturity,
        uint256 rarityBps,
        uint256 originationFee
    );
    /// @notice A full or partial repayment of loan `loanId` by `payer`, split into its parts.
    event LoanRepaid(
        uint256 indexed loanId,
        address indexed payer,
        uint256 principalPaid,
        uint256 interestPaid,
        uint256 lateFee,
        uint256 protocolFee,
        uint256 principalRemaining
    );
    /// @notice Loan `loanId` paid `interestPaid` and restarted at `newApr` until `newMaturity`.
    event LoanExtended(uint256 indexed loanId, uint256 interestPaid, uint256 newApr, uint256 newMaturity);
    /// @notice Loan `loanId` entered liquidation: its `bookValue` left NAV (SPEC §4); `debt` is what it owed.
    event LoanImpaired(uint256 indexed loanId, uint256 bookValue, uint256 debt);
    /// @notice The liquidation of loan `loanId` settled: `toPool` entered cash, against its book value.
    event LiquidationSettled(uint256 indexed loanId, uint256 toPool, uint256 loss, uint256 gainOverBook);
    /// @notice Loan `loanId`'s auction ended unsold and its NFT went to governance's recovery address: its recovery
    ///         stays pending at `estimate` (at most its `bookValue`; the difference is a realised loss) until
    ///         `settleRecovery` (SPEC §7.5).
    event RecoveryPending(uint256 indexed loanId, uint256 bookValue, uint256 estimate);
    /// @notice The line of `tranche` was held by loans in liquidation and one of them settled: it is served again
    ///         from `servableAfter` (SPEC §5.7, the cooldown after a hold).
    event QueueCooldownStarted(Tranche indexed tranche, uint256 servableAfter);
    /// @notice Governance changed the queue-hold parameters (SPEC §5.7): the materiality threshold (bps of a
    ///         tranche's value at book) and the cooldown after a hold (seconds).
    event QueueHoldSet(uint256 oldThresholdBps, uint256 newThresholdBps, uint256 oldCooldown, uint256 newCooldown);
    /// @notice `payer` paid `amount` into the pool through `recover` (outside any loan); it entered cash.
    event Recovered(address indexed payer, uint256 amount);
    /// @notice Accrued protocol fees of `amount` were sent to `treasury`.
    event ProtocolFeesPaid(address indexed treasury, uint256 amount);
    /// @notice Governance changed the senior tranche rate (APR, WAD).
    event SeniorRateSet(uint256 oldRate, uint256 newRate);
    /// @notice Governance changed the minimum junior ratio (bps of NAV).
    event MinJuniorRatioSet(uint256 oldBps, uint256 newBps);
    /// @notice Governance changed the origination and protocol fees (bps).
    event FeesSet(
        uint256 oldOriginationFeeBps, uint256 newOriginationFeeBps, uint256 oldProtocolFeeBps, uint256 newProtocolFeeBps
    );
    /// @notice Governance changed the grace period after maturity (seconds).
    event GracePeriodSet(uint256 oldGracePeriod, uint256 newGracePeriod);
    /// @notice The window of the time-weighted utilization that prices loans changed (SPEC §3 "Rate integrity").
    event RateWindowSet(uint256 oldWindow, uint256 newWindow);
    /// @notice Governance changed the treasury address.
    event TreasurySet(address oldTreasury, address newTreasury);
    /// @notice Governance changed the liquidator address.
    event LiquidatorSet(address oldLiquidator, address newLiquidator);
    /// @notice New borrows were paused or unpaused globally (previous and new state).
    event BorrowsPausedSet(bool wasPaused, bool paused);
    /// @notice New deposits were paused or unpaused globally (previous and new state).
    event DepositsPausedSet(bool wasPaused, bool paused);

    // ---------------------------------------------------------------- lenders (through the vaults)

    /// @notice Prices and books a deposit the vault of `tranche` has already moved into the pool (balance-checked by
    ///         the vault), in one call (issue #30): the shares `assets` buy at the tranche's deposit value
    ///         (`trancheDepositValue`, `TrancheShares.forDeposit`); for a mint, the `shares` the vault priced.
    /// @dev Only that vault. Reverts when deposits are paused, past `maxDeposit(tranche)` or past the room left in the
    ///      tranche's 128-bit share ledger (`ExceedsMaxDeposit` with the vault's `maxDeposit`), and on zero assets or
    ///      shares. The vault's ERC-4626 `Deposit` event records it (the pool does not log it a second time).
    /// @param tranche The depositing vault's tranche.
    /// @param assets The assets the vault has moved into the pool.
    /// @param shares 0 for a deposit (the pool prices it); the exact shares of a mint.
    /// @return minted The shares the vault mints.
    function onDeposit(Tranche tranche, uint256 assets, uint256 shares) external returns (uint256 minted);

    /// @notice Pays `receiver` for `shares` the vault of `tranche` has burned: `assets` for a withdrawal, or for a
    ///         redemption (`assets == 0`) what the shares are worth at the tranche's value (`trancheValue`,
    ///         `TrancheShares.forRedeem`), priced in the same call (issue #30).
    /// @dev Only that vault. Reverts past `maxWithdraw(tranche)` (available cash, queue priority, subordination),
    ///      and on zero shares or a redemption worth nothing. The vault's ERC-4626 `Withdraw` event records it.
    /// @param tranche The exiting vault's tranche.
    /// @param assets The assets of a withdrawal; 0 for a redemption.
    /// @param shares The shares the vault has burned.
    /// @param receiver Who is paid.
    /// @return paid The assets paid.
    function onWithdraw(Tranche tranche, uint256 assets, uint256 shares, address receiver)
        external
        returns (uint256 paid);

    /// @notice Records that `shares` of `tranche` were locked in the redemption queue, or (`cancelled`) left it
    ///         unserved. Only that vault.
    function onRedeemQueueChanged(Tranche tranche, uint256 shares, bool cancelled) external;

    /// @notice Serves queued `shares` of `tranche` (burned by the vault) for `assets`, paid out of cash to the vault,
    ///         which holds them for the requester's claim. Only that vault; `assets <= servable(tranche)` (so nothing
    ///         is served while the queue fairness rule pauses the line).
    function onRedeemServed(Tranche tranche, uint256 assets, uint256 shares) external;

    // ---------------------------------------------------------------- borrowers

    /// @notice Locks `tokenId` of `collection` and lends `principal` (less the origination fee) to the caller for
    ///         `duration` seconds at the curve rate, which must be `<= maxApr` (SPEC §3). The rate is the curve at
    ///         `borrowUtilization(principal, principal - fee)`: cash that arrived in this transaction, or stayed
    ///         only part of `rateWindow`, cannot lower it (SPEC §3 "Rate integrity").
    function borrow(
        address collection,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity
    ) external returns (uint256 loanId);

    /// @notice Pays up to `amount` of loan `loanId` from the caller: interest first, then principal. Paying the whole
    ///         debt (any `amount >= debt`, only the debt is taken) closes the loan and returns the NFT to the borrower.
    ///         A partial payment must cover the interest due and is accepted only before maturity.
    /// @return paid The amount actually taken from the caller.
    function repay(uint256 loanId, uint256 amount) external returns (uint256 paid);

    /// @notice Pays all interest due and restarts the term for `newDuration` at the current curve rate (the curve at
    ///         `borrowUtilization(0, 0)`, under the same rate-integrity rule as `borrow`).
    ///         Borrower only, before maturity, healthy at a fresh price, collection and borrowing not paused.
    function extend(uint256 loanId, uint256 newDuration, uint256 maxApr) external returns (uint256 newApr);

    /// @notice Books `amount`, pulled from the caller, as pool income not tied to any loan (a donation). It is not
    ///         priced in advance: the sale of an unsold NFT is booked with `settleRecovery`, never through here.
    function recover(uint256 amount) external;

    /// @notice Books the sale of unsold loan `loanId`'s NFT (SPEC §7.5): `amount`, pulled from the caller, enters cash
    ///         and the loan's pending recovery (its estimate) leaves the books; the difference is a loss or a gain.
    ///         Governance only (it holds the recovery address's proceeds); `amount` may be 0 (a write-off).
    function settleRecovery(uint256 loanId, uint256 amount) external;

    /// @notice Sends the accrued protocol fees to the treasury.
    function payProtocolFees() external returns (uint256 amount);

    // ---------------------------------------------------------------- collection registry

    /// @notice Writes the pool's copy of `collection`'s lending configuration and rarity root (issue #30). Only the
    ///         pool's collection registry, in the same call as the change of its own record (listing, parameters,
    ///         proof-less multiplier, pause) or from its permissionless `syncPool`, so the copy always equals the
    ///         registry's record and `borrow` and `extend` need no call to the registry.
    /// @param collection The collection.
    /// @param config Its configuration, as `CollectionRegistry` derives it from its record.
    /// @param rarityRoot Its rarity list's Merkle root (zero: no list).
    function setCollectionConfig(address collection, CollectionConfig calldata config, bytes32 rarityRoot) external;

    // ---------------------------------------------------------------- liquidator

    /// @notice Impairs active loan `loanId`: its book value leaves NAV at once (SPEC §4) and its delegation is revoked;
    ///         its NFT stays in the pool until the auction ends (SPEC §7.1, issue #30). Only the liquidator, which owns
    ///         the liquidation rules (overdue or unhealthy, SPEC §3/§7) and checks them on the returned figures,
    ///         reverting the whole call when the loan was not liquidatable.
    /// @param loanId The loan, which must be active (`LoanNotActive`).
    /// @return What the liquidation rule and the auction need (`Impairment`).
    function impair(uint256 loanId) external returns (Impairment memory);

    /// @notice Settles an impaired loan once: `toPool` (already moved into the pool by the liquidator) enters cash;
    ///         the difference from the book value is a realised loss or a gain. Then delivers the NFT to `to` if the
    ///         pool holds it (every loan impaired since 0.4). Only the liquidator.
    /// @param loanId The loan, which must be in liquidation (`LoanNotLiquidating`).
    /// @param toPool What the sale or redemption paid the pool.
    /// @param to Who receives the NFT: the buyer, or zero for the borrower (a redemption).
    /// @return borrower The loan's borrower (who is owed any surplus).
    /// @return delivered Whether the pool sent the NFT; if not (a loan impaired before 0.4), the liquidator holds it
    ///         and delivers it (`loan(loanId)` names it).
    function completeLiquidation(uint256 loanId, uint256 toPool, address to)
        external
        returns (address borrower, bool delivered);

    /// @notice Records that the auction of impaired loan `loanId` ended unsold and its NFT goes to governance's
    ///         recovery address `to`: the loan stays in liquidation at `estimate` (at most its book value; the
    ///         difference is a realised loss) until `settleRecovery` (SPEC §7.5). Sends the NFT to `to` if the pool
    ///         holds it. Only the liquidator.
    /// @param loanId The loan, which must be in liquidation (`LoanNotLiquidating`).
    /// @param estimate What governance expects the NFT to bring (`RecoveryEstimateAboveBook` above the book value).
    /// @param to The recovery address.
    /// @return delivered Whether the pool sent the NFT; if not (a loan impaired before 0.4), the liquidator delivers it.
    function markUnsold(uint256 loanId, uint256 estimate, address to) external returns (bool delivered);

    // ---------------------------------------------------------------- views

    /// @notice The pool asset.
    function asset() external view returns (address);
    /// @notice The vault of `tranche`.
    function vault(Tranche tranche) external view returns (address);
    /// @notice The liquidator contract.
    function liquidator() external view returns (address);
    /// @notice NAV at `block.timestamp`: cash + principal + accrued interest (net of protocol fee) of active loans.
    function nav() external view returns (uint256);
    /// @notice The value of `tranche` at `block.timestamp` (the vault's `totalAssets`).
    function trancheValue(Tranche tranche) external view returns (uint256);
    /// @notice The value of `tranche` at which deposits are priced: as `trancheValue`, but with the loans in
    ///         liquidation counted at their book value, so a deposit never buys pending recoveries below book.
    function trancheDepositValue(Tranche tranche) external view returns (uint256);
    /// @notice The senior claim compounded to `block.timestamp`.
    function seniorClaim() external view returns (uint256);
    /// @notice Cash: idle asset on the pool's own ledger.
    function cash() external view returns (uint256);
    /// @notice Cash not owed to the redemption queue: what borrows and instant withdrawals may use. The queue is owed
    ///         what each line can be paid now: the senior's pending shares at their value, the junior's at their
    ///         value capped by the subordination room (SPEC §5).
    function availableCash() external view returns (uint256);
    /// @notice Principal of active loans.
    function totalPrincipal() external view returns (uint256);
    /// @notice The utilization (WAD) at which a borrow of `principal` paying out `cashOut` (principal less the
    ///         origination fee, `cashOut <= principal`) would be priced now; `(0, 0)` prices an extension. The larger
    ///         of the after-loan utilization at the transaction's starting cash and its time-weighted counterpart
    ///         over `rateWindow` (SPEC §3 "Rate integrity"; `RateIntegrity`). `borrow` locks the curve's apr there.
    function borrowUtilization(uint256 principal, uint256 cashOut) external view returns (uint256);
    /// @notice The window of the time-weighted utilization, in seconds.
    function rateWindow() external view returns (uint256);
    /// @notice The largest deposit into `tranche` accepted now (pause, impairment, subordination).
    function maxDeposit(Tranche tranche) external view returns (uint256);
    /// @notice The largest instant withdrawal from `tranche` now: for the senior, available cash up to its value; 0 for
    ///         the junior, whose exits are notice requests (SPEC §5 "Junior notice").
    function maxWithdraw(Tranche tranche) external view returns (uint256);
    /// @notice Cash that may serve the queue of `tranche` now: cash, for the junior within subordination; 0 while
    ///         the line is held (loans in liquidation and the tranche's realised value below its value with them at
    ///         book by more than the hold threshold) and until the cooldown after a hold has passed (SPEC §5.7).
    function servable(Tranche tranche) external view returns (uint256);
    /// @notice The hold of `tranche`'s line (SPEC §5.7).
    /// @param tranche The tranche.
    /// @return held Whether loans in liquidation hold it now (their pending recovery is material to the tranche).
    /// @return servableAfter The time before which it is not served after a hold (0: none).
    /// @return thresholdBps The materiality threshold in force (bps of a tranche's value at book).
    /// @return cooldown The cooldown after a hold in force (seconds).
    function queueHold(Tranche tranche)
        external
        view
        returns (bool held, uint256 servableAfter, uint256 thresholdBps, uint256 cooldown);
    /// @notice Shares of `tranche` locked in the queue, and the tranche's share supply as the pool books it.
    function queueState(Tranche tranche) external view returns (uint256 pendingShares, uint256 supply);
    /// @notice The share supply of `tranche` as the pool books it: its vault's `totalSupply` (issue #30, one slot).
    function shareSupply(Tranche tranche) external view returns (uint256);
    /// @notice Protocol fees owed to the treasury.
    function protocolFees() external view returns (uint256);
    /// @notice Loan `loanId` as stored.
    function loan(uint256 loanId) external view returns (Loan memory);
    /// @notice The id the next loan will get.
    function nextLoanId() external view returns (uint256);
    /// @notice The collection registry the pool reads listings and parameters from.
    function registry() external view returns (address);
    /// @notice Outstanding principal of active loans against `collection`.
    function exposure(address collection) external view returns (uint256);
    /// @notice Global parameters.
    function parameters()
        external
        view
        returns (
            uint256 seniorRate,
            uint256 minJuniorRatioBps,
            uint256 originationFeeBps,
            uint256 protocolFeeBps,
            uint256 gracePeriod,
            address treasury
        );
    /// @notice Pause flags.
    function paused() external view returns (bool borrowsPaused, bool depositsPaused);
}
