// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../governance/Governed.sol";
import {RateIntegrity} from "../interest/RateIntegrity.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../interfaces/IDelegateRegistry.sol";
import {IStrataDelegation} from "../interfaces/IStrataDelegation.sol";
import {
    CollectionConfig,
    IStrataPool,
    Impairment,
    Loan,
    LoanStatus,
    RarityProof,
    Tranche
} from "../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {TrancheShares} from "../libraries/TrancheShares.sol";
import {Waterfall} from "../libraries/Waterfall.sol";
import {Delegation} from "./Delegation.sol";
import {PoolStorageLayout} from "./PoolStorageLayout.sol";
import {LoanLogic} from "./logic/LoanLogic.sol";
import {LoanStore} from "./logic/LoanStore.sol";
import {PoolAdmin} from "./logic/PoolAdmin.sol";
import {PoolValues} from "./logic/PoolValues.sol";
import {QueueHold} from "./logic/QueueHold.sol";

/// @title StrataPool
/// @notice Custodian of the pool's cash and collateral, keeper of the loan book and of the tranche accounting behind
///         the senior and junior vaults. Every rule lives in SPEC §3–§5 and §8; this contract follows it.
/// @dev Accounting is O(1) (SPEC §4): `NAV = cash + totalPrincipal + accrued`, where `accrued` is the closed form
///      `(t * rateSum - rateTimeSum) / (YEAR * WAD)` over `rateSum = Σ principal * netApr` and
///      `rateTimeSum = Σ principal * netApr * start` of the active loans (exact integers, no drift). `netApr` is the
///      loan's apr net of its protocol fee. Cash is the pool's ledger, never `balanceOf`.
contract StrataPool is
    IStrataPool,
    IStrataDelegation,
    Governed,
    UUPSUpgradeable,
    ReentrancyGuardTransient,
    MulticallUpgradeable,
    PoolStorageLayout
{
    using FixedPointMath for uint256;
    using SafeCast for uint256;
    using SafeTransferLib for ERC20;

    // keccak256(abi.encode(uint256(keccak256("strata.storage.Pool")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant POOL_STORAGE = 0x6fa356a320461b2cdd53c7bdc3e74f8f28120541c1e45828d82faad077ee3100;

    /// @dev The delegate.xyz v2 registry (SPEC §3.7), zero: delegation disabled. An immutable of the implementation:
    ///      a borrow without a delegate never reads it, and a delegation costs no storage read to find it.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IDelegateRegistry private immutable delegationRegistry;

    /// @dev OpenZeppelin's `ReentrancyGuardTransient` lock slot, keccak256(abi.encode(uint256(keccak256(
    ///      "openzeppelin.storage.ReentrancyGuard")) - 1)) & ~bytes32(uint256(0xff)), which `_forward` releases. An
    ///      immutable, not a constant: a second use of that 32-byte literal makes the optimizer load it from code in
    ///      every `nonReentrant` entry point (+87 gas each, measured), and a constant is folded into the literal.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable reentrancyLockSlot = 0x9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00;

    /// @dev The pool's asset, collection registry, vaults and liquidator, as immutables of the implementation (issue
    ///      #30): every core operation reads them without a cold storage read (2,100 gas each). `PoolStorage` keeps the
    ///      same addresses (the layout is append-only, and `initialize` refuses an implementation wired to others);
    ///      none of them has a setter, so an upgrade (whose implementation is built for the proxy it serves, see
    ///      script/Upgrade.s.sol) is the only way any of them could change.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ERC20 private immutable assetToken;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ICollectionRegistry private immutable registryContract;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable seniorVaultAddr;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable juniorVaultAddr;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable liquidatorAddr;

    /// @notice Disables initializers on the implementation and fixes its wiring: delegate registry (SPEC §3.7), asset,
    ///         collection registry, vaults and liquidator (those of the proxy it serves: `initialize` and the upgrade
    ///         script check them).
    /// @param w The implementation's wiring (`PoolStorageLayout.Wiring`).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(Wiring memory w) {
        delegationRegistry = w.delegateRegistry;
        assetToken = w.asset;
        registryContract = w.registry;
        seniorVaultAddr = w.seniorVault;
        juniorVaultAddr = w.juniorVault;
        liquidatorAddr = w.liquidator;
        // `_forward` releases the lock by this slot: it must be the one OpenZeppelin's guard takes.
        assert(reentrancyLockSlot == _reentrancyGuardStorageSlot());
        _disableInitializers();
    }

    /// @notice Initializes the pool behind its proxy. Governance is the timelock; the deployer keeps nothing.
    function initialize(InitParams calldata p) external initializer {
        __Governed_init(p.governance, p.guardian);
        __Multicall_init();
        PoolAdmin.initialize(
            _s(), p, [address(assetToken), address(registryContract), seniorVaultAddr, juniorVaultAddr, liquidatorAddr]
        );
    }

    // =====================================================================================================
    // Lenders (through the vaults)
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function onDeposit(Tranche tranche, uint256 assets, uint256 shares) external nonReentrant returns (uint256 minted) {
        PoolStorage storage $ = _s();
        _onlyVault(tranche);
        _syncRate($);
        if (assets == 0) revert ZeroAmount();
        (uint256 nav_, uint256 claim) = _values($);
        // A deposit (`shares == 0`) is priced and booked in one call, under the lock (issue #30): its shares at the
        // deposit value, within the room of the 128-bit share ledger. A mint books the shares the vault priced with
        // the same rule (`TrancheShares`) one call earlier in this transaction, under the vault's lock.
        uint256 supply = $.supply[uint256(tranche)];
        uint256 max = _maxDepositAt($, tranche, nav_, claim);
        minted = shares;
        if (minted == 0) {
            uint256 value = _depositValue($, tranche, nav_, claim);
            minted = TrancheShares.forDeposit(assets, supply, value);
            // Shares below the ledger's room mean `assets` is within `maxDepositForLedger` (which rounds down the
            // same product): its 512-bit bound is only needed when the shares reach the room.
            if (minted >= type(uint128).max - supply) max = max.min(TrancheShares.maxDepositForLedger(supply, value));
        }
        if (assets > max) revert ExceedsMaxDeposit(assets, max);
        if (minted == 0) revert ZeroAmount();
        // `max` leaves room in both 128-bit ledgers: `cash + assets` and `claim + assets` fit.
        if (tranche == Tranche.Senior) {
            // `_syncRate`'s checkpoint stamped the claim now (`seniorLastUpdate`): only the claim moves.
            $.seniorClaim = uint128(claim + assets);
        } else {
            // A junior deposit dilutes the pending recoveries' weight in the junior: if it ends a hold, the line
            // waits out the cooldown like after a settlement (SPEC §5.7, notice integrity).
            uint256 waiting = QueueHold.waitingLines($) & QueueHold.JUNIOR;
            if (waiting != 0) QueueHold.startCooldowns($, QueueHold.heldLines($, nav_, claim, waiting));
        }
        $.cash = uint128($.cash + assets);
        $.supply[uint256(tranche)] = uint128(supply + minted);
    }

    /// @inheritdoc IStrataPool
    function onWithdraw(Tranche tranche, uint256 assets, uint256 shares, address receiver)
        external
        nonReentrant
        returns (uint256 paid)
    {
        PoolStorage storage $ = _s();
        _onlyVault(tranche);
        _syncRate($);
        if (shares == 0) revert ZeroAmount();
        (uint256 nav_, uint256 claim) = _values($);
        // A redeem (`assets == 0`) is priced here, in the same call that pays it (issue #30): its shares at the
        // tranche's realised value, rounded down, over the supply before their burn.
        if (assets == 0) {
            assets = TrancheShares.forRedeem(shares, $.supply[uint256(tranche)], _exitValue(tranche, nav_, claim));
            if (assets == 0) revert ZeroAmount();
        }
        uint256 max = _maxWithdrawAt($, tranche, nav_, claim);
        if (assets > max) revert ExceedsMaxWithdraw(assets, max);
        _burnTrancheShares($, tranche, shares, assets, claim);
        $.cash -= uint128(assets);
        assetToken.safeTransfer(receiver, assets);
        return assets;
    }

    /// @inheritdoc IStrataPool
    function onRedeemQueueChanged(Tranche tranche, uint256 shares, bool cancelled) external {
        PoolStorage storage $ = _s();
        _onlyVault(tranche);
        // Queued shares change the queue's reserve, hence the available cash the rate curve sees: integrate the
        // time-weighted utilization with the state that held until now first (SPEC §3.6). The senior claim accrues on
        // principal and cash (SPEC §5.1), which a request leaves unchanged: no senior checkpoint (issue #30).
        _syncRateState($);
        if (shares == 0) revert ZeroAmount();
        uint256 pending = $.pendingShares[uint256(tranche)];
        pending = cancelled ? pending - shares : pending + shares;
        $.pendingShares[uint256(tranche)] = pending.toUint128();
        QueueHold.noteQueues($, tranche, pending);
        emit RedeemQueueChanged(tranche, shares, cancelled, pending);
    }

    /// @inheritdoc IStrataPool
    function onRedeemServed(Tranche tranche, uint256 assets, uint256 shares) external nonReentrant {
        PoolStorage storage $ = _s();
        _onlyVault(tranche);
        _syncRate($);
        if (shares == 0) revert ZeroAmount();
        (uint256 nav_, uint256 claim) = _values($);
        uint256 max = _servableAt($, tranche, nav_, claim);
        if (assets > max) revert QueueOverServed(assets, max);
        uint256 pending = $.pendingShares[uint256(tranche)] - shares;
        $.pendingShares[uint256(tranche)] = uint128(pending);
        QueueHold.noteQueues($, tranche, pending);
        _burnTrancheShares($, tranche, shares, assets, claim);
        $.cash -= uint128(assets);
        emit QueueServed(tranche, assets, shares);
        if (assets > 0) assetToken.safeTransfer(msg.sender, assets);
    }

    // =====================================================================================================
    // Borrowers
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.borrow` (one delegatecall).
    function borrow(
        address collectionAddr,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity
    ) external nonReentrant returns (uint256 loanId) {
        return _borrow(collectionAddr, tokenId, principal, duration, maxApr, rarity);
    }

    /// @inheritdoc IStrataDelegation
    /// @dev The delegation is made once the token is in custody (after the loan's own interactions, under the lock).
    function borrow(
        address collectionAddr,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity,
        address delegate
    ) external nonReentrant returns (uint256 loanId) {
        loanId = _borrow(collectionAddr, tokenId, principal, duration, maxApr, rarity);
        if (delegate != address(0)) LoanLogic.setDelegate(_s(), delegationRegistry, loanId, delegate);
    }

    /// @inheritdoc IStrataDelegation
    /// @dev Runs in `LoanLogic.setDelegate` (one delegatecall).
    function setDelegate(uint256 loanId, address delegate) external nonReentrant {
        LoanLogic.setDelegate(_s(), delegationRegistry, loanId, delegate);
    }

    /// @inheritdoc IStrataDelegation
    /// @dev Runs in `LoanLogic.revokeStaleDelegate` (one delegatecall).
    function revokeStaleDelegate(uint256 loanId) external nonReentrant {
        LoanLogic.revokeStaleDelegate(_s(), delegationRegistry, loanId);
    }

    function _borrow(
        address collectionAddr,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity
    ) private returns (uint256 loanId) {
        PoolStorage storage $ = _s();
        return LoanLogic.borrow(
            $,
            LoanLogic.BorrowArgs({
                collection: collectionAddr,
                tokenId: tokenId,
                principal: principal,
                duration: duration,
                maxApr: maxApr,
                availableCash: _syncRate($),
                asset: assetToken
            }),
            rarity
        );
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.repay` (one delegatecall).
    function repay(uint256 loanId, uint256 amount) external nonReentrant returns (uint256 paid) {
        PoolStorage storage $ = _s();
        _syncRate($);
        return LoanLogic.repay($, loanId, amount, delegationRegistry, assetToken);
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.extend` (one delegatecall).
    function extend(uint256 loanId, uint256 newDuration, uint256 maxApr)
        external
        nonReentrant
        returns (uint256 newApr)
    {
        PoolStorage storage $ = _s();
        return LoanLogic.extend($, loanId, newDuration, maxApr, _syncRate($), assetToken);
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `PoolAdmin.recover` once the rate state is integrated (one delegatecall; the lock is the pool's).
    function recover(uint256 amount) external nonReentrant {
        PoolStorage storage $ = _s();
        _syncRate($);
        PoolAdmin.recover($, amount);
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `PoolAdmin.payProtocolFees` (one delegatecall; the lock is the pool's).
    function payProtocolFees() external nonReentrant returns (uint256 amount) {
        return PoolAdmin.payProtocolFees(_s());
    }

    // =====================================================================================================
    // Collection registry
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    /// @dev Runs in `PoolAdmin.setCollectionConfig`: its arguments are this call's, after the storage pointer (all
    ///      static), so the call data is forwarded as it came (`_admin`).
    function setCollectionConfig(address collection, CollectionConfig calldata config, bytes32 rarityRoot) external {
        if (msg.sender != address(registryContract)) revert NotRegistry(msg.sender);
        (collection, config, rarityRoot);
        _admin(PoolAdmin.setCollectionConfig.selector);
    }

    // =====================================================================================================
    // Liquidator
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.impair` (one delegatecall, this call's data forwarded as it came: `_logic`).
    function impair(uint256 loanId) external returns (Impairment memory) {
        _lock();
        if (msg.sender != liquidatorAddr) revert NotLiquidator(msg.sender);
        _syncRate(_s());
        loanId;
        _logic(LoanLogic.impair.selector, abi.encode(delegationRegistry));
    }

    /// @inheritdoc IStrataPool
    function completeLiquidation(uint256 loanId, uint256 toPool, address to)
        external
        nonReentrant
        returns (address borrower, bool delivered)
    {
        PoolStorage storage $ = _s();
        if (msg.sender != liquidatorAddr) revert NotLiquidator(msg.sender);
        _syncRate($);
        StoredLoan storage l = $.loans[loanId];
        if (l.status != LoanStatus.Liquidating) revert LoanNotLiquidating(loanId);
        // `LoanLogic.settle` and `deliver` are internal: inlined here, so a sale or a redemption pays no library call.
        LoanLogic.settle($, l, loanId, toPool);
        borrower = l.borrower;
        delivered = LoanLogic.deliver($, l, to == address(0) ? borrower : to);
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.markUnsold` (one delegatecall, this call's data forwarded as it came: `_logic`).
    function markUnsold(uint256 loanId, uint256 estimate, address to) external returns (bool) {
        _lock();
        if (msg.sender != liquidatorAddr) revert NotLiquidator(msg.sender);
        (loanId, estimate, to);
        _logic(LoanLogic.markUnsold.selector, "");
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.settleRecovery` (one delegatecall, this call's data forwarded as it came: `_logic`).
    function settleRecovery(uint256 loanId, uint256 amount) external onlyGovernance {
        _lock();
        _syncRate(_s());
        (loanId, amount);
        _logic(LoanLogic.settleRecovery.selector, abi.encode(assetToken));
    }

    // =====================================================================================================
    // Governance and guardian
    // =====================================================================================================

    // The setters below run in `PoolAdmin`, which takes this call's own arguments after the storage pointer: `_admin`
    // forwards the call data as it came, so each argument is named here (the ABI's names, which the governance
    // tooling resolves proposals by) and otherwise only mentioned.

    /// @notice Sets the senior target APR (WAD). The claim is compounded at the old rate up to now first.
    /// @param rate The new senior rate, WAD, within `[0, MAX_SENIOR_RATE]`.
    function setSeniorRate(uint256 rate) external onlyGovernance {
        rate;
        _admin(PoolAdmin.setSeniorRate.selector);
    }

    /// @notice Sets the minimum junior share of NAV after senior deposits and junior withdrawals.
    /// @param bps The new minimum junior ratio, in basis points.
    function setMinJuniorRatio(uint256 bps) external onlyGovernance {
        bps;
        _admin(PoolAdmin.setMinJuniorRatio.selector);
    }

    /// @notice Sets the origination fee (of principal) and the protocol fee (of interest) for new loans.
    /// @param originationFeeBps The new origination fee, in basis points of principal.
    /// @param protocolFeeBps The new protocol fee, in basis points of interest.
    function setFees(uint256 originationFeeBps, uint256 protocolFeeBps) external onlyGovernance {
        (originationFeeBps, protocolFeeBps);
        _admin(PoolAdmin.setFees.selector);
    }

    /// @notice Sets the grace period after maturity for new loans.
    /// @param gracePeriod The new grace period, in seconds.
    function setGracePeriod(uint256 gracePeriod) external onlyGovernance {
        gracePeriod;
        _admin(PoolAdmin.setGracePeriod.selector);
    }

    /// @notice Sets `rateWindow`, the window of the time-weighted utilization that prices loans (SPEC §3 "Rate
    ///         integrity"), within `[RateIntegrity.MIN_WINDOW, RateIntegrity.MAX_WINDOW]`. The averages are
    ///         integrated up to now under the old window first.
    /// @param window The new window, in seconds.
    function setRateWindow(uint256 window) external onlyGovernance {
        window;
        _syncRate(_s());
        _admin(PoolAdmin.setRateWindow.selector);
    }

    /// @notice Sets the queue-hold parameters (SPEC §5.7): a tranche's line is held while the pending recoveries of
    ///         loans in liquidation exceed `thresholdBps` of its value at book, and waits `cooldown` seconds after a
    ///         hold ends. Bounds: `[1, MAX_HOLD_THRESHOLD_BPS]` and `[MIN_QUEUE_COOLDOWN, MAX_QUEUE_COOLDOWN]`.
    /// @param thresholdBps The hold threshold, in basis points of a tranche's value at book.
    /// @param cooldown The cooldown after a hold, in seconds.
    function setQueueHold(uint256 thresholdBps, uint256 cooldown) external onlyGovernance {
        (thresholdBps, cooldown);
        _admin(PoolAdmin.setQueueHold.selector);
    }

    /// @notice Sets the treasury that receives protocol fees.
    /// @param treasury The new treasury (not zero).
    function setTreasury(address treasury) external onlyGovernance {
        treasury;
        _admin(PoolAdmin.setTreasury.selector);
    }

    /// @notice Pauses (guardian or governance) or unpauses (governance only) new borrowing.
    function setBorrowsPaused(bool isPaused) external onlyPauser(isPaused) {
        _admin(PoolAdmin.setBorrowsPaused.selector);
    }

    /// @notice Pauses (guardian or governance) or unpauses (governance only) deposits into both vaults.
    function setDepositsPaused(bool isPaused) external onlyPauser(isPaused) {
        _admin(PoolAdmin.setDepositsPaused.selector);
    }

    // =====================================================================================================
    // Views
    // =====================================================================================================

    /// @inheritdoc IStrataPool
    function asset() external view returns (address) {
        return address(assetToken);
    }

    /// @inheritdoc IStrataPool
    function vault(Tranche tranche) external view returns (address) {
        return tranche == Tranche.Senior ? seniorVaultAddr : juniorVaultAddr;
    }

    /// @inheritdoc IStrataPool
    function liquidator() external view returns (address) {
        return liquidatorAddr;
    }

    /// @inheritdoc IStrataPool
    function nav() external view returns (uint256) {
        return _nav(_s());
    }

    /// @inheritdoc IStrataPool
    function trancheValue(Tranche tranche) external view returns (uint256) {
        return _trancheValue(_s(), tranche);
    }

    /// @inheritdoc IStrataPool
    function trancheDepositValue(Tranche tranche) external view returns (uint256) {
        (uint256 nav_, uint256 claim) = _values(_s());
        return _depositValue(_s(), tranche, nav_, claim);
    }

    /// @inheritdoc IStrataPool
    function seniorClaim() external view returns (uint256) {
        return _seniorClaimNow(_s());
    }

    /// @inheritdoc IStrataPool
    function cash() external view returns (uint256) {
        return _s().cash;
    }

    /// @inheritdoc IStrataPool
    function availableCash() external view returns (uint256) {
        return _availableCash(_s());
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.borrowUtilization` (the same code `borrow` and `extend` price with).
    function borrowUtilization(uint256 principal, uint256 cashOut) external view returns (uint256) {
        PoolStorage storage $ = _s();
        return LoanLogic.borrowUtilization($, _availableCash($), principal, cashOut);
    }

    /// @inheritdoc IStrataPool
    function rateWindow() external view returns (uint256) {
        return RateIntegrity.windowOf(_s().rate);
    }

    /// @inheritdoc IStrataPool
    function totalPrincipal() external view returns (uint256) {
        return _s().totalPrincipal;
    }

    /// @inheritdoc IStrataPool
    function maxDeposit(Tranche tranche) external view returns (uint256) {
        (uint256 nav_, uint256 claim) = _values(_s());
        return _maxDepositAt(_s(), tranche, nav_, claim);
    }

    /// @inheritdoc IStrataPool
    function maxWithdraw(Tranche tranche) external view returns (uint256) {
        (uint256 nav_, uint256 claim) = _values(_s());
        return _maxWithdrawAt(_s(), tranche, nav_, claim);
    }

    /// @inheritdoc IStrataPool
    function servable(Tranche tranche) external view returns (uint256) {
        (uint256 nav_, uint256 claim) = _values(_s());
        return _servableAt(_s(), tranche, nav_, claim);
    }

    /// @inheritdoc IStrataPool
    function queueHold(Tranche tranche)
        external
        view
        returns (bool held, uint256 servableAfter, uint256 thresholdBps, uint256 cooldown)
    {
        PoolStorage storage $ = _s();
        (uint256 nav_, uint256 claim) = _values($);
        held = QueueHold.heldLines($, nav_, claim, QueueHold.line(tranche)) != 0;
        return (held, QueueHold.servableAfter($, tranche), QueueHold.thresholdBpsOf($), QueueHold.cooldownOf($));
    }

    /// @inheritdoc IStrataPool
    function queueState(Tranche tranche) external view returns (uint256 pendingShares, uint256 supply) {
        return (_s().pendingShares[uint256(tranche)], _s().supply[uint256(tranche)]);
    }

    /// @inheritdoc IStrataPool
    function shareSupply(Tranche tranche) external view returns (uint256) {
        return _s().supply[uint256(tranche)];
    }

    /// @inheritdoc IStrataPool
    function protocolFees() external view returns (uint256) {
        return _s().protocolFees;
    }

    /// @inheritdoc IStrataPool
    /// @dev Runs in `LoanLogic.loanOf` (one delegatecall; the record's codec is `LoanStore`).
    function loan(uint256 loanId) external view returns (Loan memory) {
        return LoanLogic.loanOf(_s(), loanId);
    }

    /// @inheritdoc IStrataDelegation
    function delegateOf(uint256 loanId) external view returns (address) {
        return Delegation.delegateOf(loanId);
    }

    /// @inheritdoc IStrataDelegation
    function delegateRegistry() external view returns (IDelegateRegistry) {
        return delegationRegistry;
    }

    /// @inheritdoc IStrataPool
    function nextLoanId() external view returns (uint256) {
        return LoanStore.nextId(_s());
    }

    /// @inheritdoc IStrataPool
    function registry() external view returns (address) {
        return address(registryContract);
    }

    /// @inheritdoc IStrataPool
    function exposure(address collectionAddr) external view returns (uint256) {
        return _s().collections[collectionAddr].exposure;
    }

    /// @inheritdoc IStrataPool
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
        )
    {
        PoolStorage storage $ = _s();
        return ($.seniorRate, $.minJuniorRatioBps, $.originationFeeBps, $.protocolFeeBps, $.gracePeriod, $.treasury);
    }

    /// @inheritdoc IStrataPool
    function paused() external view returns (bool borrowsPaused, bool depositsPaused) {
        return (_s().borrowsPaused, _s().depositsPaused);
    }

    // =====================================================================================================
    // Internal: accounting
    // =====================================================================================================

    function _s() private pure returns (PoolStorage storage $) {
        assembly {
            $.slot := POOL_STORAGE
        }
    }

    function _nav(PoolStorage storage $) private view returns (uint256) {
        return PoolValues.nav($);
    }

    function _seniorClaimNow(PoolStorage storage $) private view returns (uint256) {
        return PoolValues.seniorClaimNow($);
    }

    /// @dev NAV and the senior claim at `block.timestamp`: everything the tranche views derive from.
    function _values(PoolStorage storage $) private view returns (uint256 nav_, uint256 claim) {
        return PoolValues.values($);
    }

    /// @dev The tranche's value with NAV as if every loan in liquidation recovered its book value: the price at which
    ///      new money enters a tranche, so that a newcomer never buys a share of pending recoveries below their
    ///      book value (exits are priced at the realised NAV, without them: the conservative side both ways).
    function _depositValue(PoolStorage storage $, Tranche tranche, uint256 nav_, uint256 claim)
        private
        view
        returns (uint256)
    {
        if ($.impairedCount != 0) nav_ += $.impairedBook;
        (uint256 senior, uint256 junior) = Waterfall.split(nav_, claim);
        return tranche == Tranche.Senior ? senior : junior;
    }

    function _trancheValue(PoolStorage storage $, Tranche tranche) private view returns (uint256) {
        (uint256 nav_, uint256 claim) = _values($);
        return _exitValue(tranche, nav_, claim);
    }

    /// @dev A tranche's realised value (`trancheValue`): the price of exits.
    function _exitValue(Tranche tranche, uint256 nav_, uint256 claim) private pure returns (uint256) {
        (uint256 senior, uint256 junior) = Waterfall.split(nav_, claim);
        return tranche == Tranche.Senior ? senior : junior;
    }

    /// @dev Cash owed to the redemption queue: what each queue can be paid now (SPEC §5), at today's realised price,
    ///      rounded up: the senior's pending shares at their value; the junior's at their value capped by the
    ///      subordination room (a request subordination forbids paying freezes nothing; the cap follows the room as
    ///      it changes). The reserve stays while a queue waits out pending recoveries or the junior notice: both end,
    ///      and the cash must still be there when they do (docs/redemption-queue.md).
    function _queueReserve(PoolStorage storage $, uint256 nav_, uint256 claim) private view returns (uint256 reserve) {
        uint256 seniorPending = $.pendingShares[0];
        uint256 juniorPending = $.pendingShares[1];
        if (seniorPending == 0 && juniorPending == 0) return 0;
        (uint256 senior, uint256 junior) = Waterfall.split(nav_, claim);
        if (seniorPending != 0) reserve = senior.mulDivUp(seniorPending, $.supply[0]);
        if (juniorPending != 0) {
            reserve += junior.mulDivUp(juniorPending, $.supply[1])
                .min(Waterfall.maxJuniorWithdraw(junior, nav_, $.minJuniorRatioBps));
        }
    }

    function _availableCash(PoolStorage storage $) private view returns (uint256) {
        // No queued shares (the common case): no need to value the tranches. The flag sits in the senior slot, which
        // the senior checkpoint has just read; a pool upgraded from 0.2 reads the queue slot until its first change.
        if ($.seniorAccrualMode != 0 ? !$.queuesPending : $.pendingShares[0] == 0 && $.pendingShares[1] == 0) {
            return $.cash;
        }
        (uint256 nav_, uint256 claim) = _values($);
        return uint256($.cash).zeroFloorSub(_queueReserve($, nav_, claim));
    }

    /// @dev Integrates the time-weighted utilization up to now (SPEC §3 "Rate integrity") with the state that held
    ///      since the last change, and marks the transaction's starting cash; checkpoints the senior claim, which
    ///      accrues at `seniorRate × u` with the utilization `u` that held since (SPEC §5.1). Called first by
    ///      everything that changes cash or principal; returns the available cash (cash less the queue's reserve),
    ///      which is also the cash the rate curve sees.
    function _syncRate(PoolStorage storage $) private returns (uint256 available) {
        PoolValues.checkpointSenior($);
        return _syncRateState($);
    }

    /// @dev The rate-state half of `_syncRate`, alone: for a change of the queue's reserve, which moves the available
    ///      cash but neither principal nor cash (the senior claim's utilization).
    function _syncRateState(PoolStorage storage $) private returns (uint256 available) {
        available = _availableCash($);
        RateIntegrity.sync($.rate, $.totalPrincipal, available);
    }

    function _maxDepositAt(PoolStorage storage $, Tranche tranche, uint256 nav_, uint256 claim)
        private
        view
        returns (uint256)
    {
        if ($.depositsPaused) return 0;
        (uint256 senior, uint256 junior) = Waterfall.split(nav_, claim);
        // The 128-bit ledgers (cash, the senior claim) bound every deposit.
        uint256 room = type(uint128).max - uint256($.cash).max(claim);
        if (tranche == Tranche.Senior) {
            // An impaired senior refuses deposits (SPEC §5): no dilution of the existing seniors' recovery.
            if (senior < claim) return 0;
            return Waterfall.maxSeniorDeposit(junior, nav_, $.minJuniorRatioBps).min(room);
        }
        // A wiped-out junior with shares outstanding refuses deposits (the senior is impaired: new junior money would
        // first fill the senior's shortfall); above zero, deposits are priced with pending recoveries at book value,
        // so a newcomer never buys them cheap (docs/ACCOUNTING.md).
        if (junior == 0 && $.supply[1] != 0) return 0;
        return room;
    }

    /// @dev Junior exits are requests with a notice period (SPEC §5 "Junior notice"): no instant junior exit.
    function _maxWithdrawAt(PoolStorage storage $, Tranche tranche, uint256 nav_, uint256 claim)
        private
        view
        returns (uint256)
    {
        if (tranche == Tranche.Junior) return 0;
        return _availableCash($).min(_exitRoom($, tranche, nav_, claim));
    }

    /// @dev Queue fairness (SPEC §5.7): while the line is held (pending recoveries material to the tranche) and until
    ///      the cooldown after a hold has passed, the queue is not served (0): nobody is paid out at a price that
    ///      pending recoveries will raise again, and nobody picks the block in which a held request becomes servable.
    ///      Otherwise cash, capped by the tranche's exit room.
    function _servableAt(PoolStorage storage $, Tranche tranche, uint256 nav_, uint256 claim)
        private
        view
        returns (uint256)
    {
        if (!QueueHold.open($, tranche, nav_, claim)) return 0;
        return uint256($.cash).min(_exitRoom($, tranche, nav_, claim));
    }

    /// @dev What a tranche may take out of NAV: the senior its value, the junior what keeps subordination.
    function _exitRoom(PoolStorage storage $, Tranche tranche, uint256 nav_, uint256 claim)
        private
        view
        returns (uint256)
    {
        (uint256 senior, uint256 junior) = Waterfall.split(nav_, claim);
        if (tranche == Tranche.Senior) return senior;
        return Waterfall.maxJuniorWithdraw(junior, nav_, $.minJuniorRatioBps);
    }

    /// @dev Burns `shares` of `tranche`, paid `assets`, in the pool's books; a senior burn lowers `claimNow` by what
    ///      it was paid (the last one by all of it): `Waterfall.claimReduction`.
    function _burnTrancheShares(
        PoolStorage storage $,
        Tranche tranche,
        uint256 shares,
        uint256 assets,
        uint256 claimNow
    ) private {
        uint256 supply = $.supply[uint256(tranche)];
        if (tranche == Tranche.Senior) {
            // every caller ran `_syncRate` first: its checkpoint stamped the claim now, only the claim moves
            $.seniorClaim = uint128(claimNow - Waterfall.claimReduction(claimNow, assets, shares, supply));
        }
        $.supply[uint256(tranche)] = uint128(supply - shares);
    }

    // =====================================================================================================
    // Internal: governance
    // =====================================================================================================

    /// @dev Runs `PoolAdmin`'s function `selector` with this call's data (`_forward`). Never after `_lock()` or in a
    ///      `nonReentrant` entry point: it exits without releasing a lock.
    function _admin(bytes4 selector) private {
        _forward(address(PoolAdmin), selector, "", false);
    }

    /// @dev Takes the reentrancy lock exactly as OpenZeppelin's `nonReentrant` does (`ReentrancyGuardReentrantCall` if
    ///      held), for an entry point that ends in `_logic`, which releases it: the modifier's release after the body
    ///      would be unreachable (the IR pipeline says so).
    function _lock() private {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
        bytes32 lock = reentrancyLockSlot;
        assembly ("memory-safe") {
            tstore(lock, 1)
        }
    }

    /// @dev Runs `LoanLogic`'s function `selector` with this call's data (`_forward`), after the words `immutables`
    ///      (what the function needs of this implementation). Only after `_lock()`: it releases that lock.
    function _logic(bytes4 selector, bytes memory immutables) private {
        _forward(address(LoanLogic), selector, immutables, true);
    }

    /// @dev Delegatecalls library `lib`'s function `selector`, whose arguments are the pool's storage pointer, the words
    ///      `prefix` and then this call's own (static) arguments, with this call's data as it came (not decoded and
    ///      encoded again: issue #30, pool bytecode), and ends this call with its return data, or its revert data.
    ///      Exits through `return`, so it is the entry point's last statement and a modifier's code after `_` never
    ///      runs: with `unlock` it releases the `nonReentrant` lock itself, after the library returned (a revert rolls
    ///      the lock back with the rest). Call data beyond the arguments is passed on and ignored by the library's
    ///      decoder; it cannot displace the pool's own words, which come first.
    function _forward(address lib, bytes4 selector, bytes memory prefix, bool unlock) private {
        bytes memory data = abi.encodePacked(selector, POOL_STORAGE, prefix, msg.data[4:]);
        bytes32 lock = reentrancyLockSlot;
        // Not "memory-safe": the return data is copied over memory from offset 0, which is fine only because the call
        // ends right here (`return` or `revert`) and no Solidity code reads memory after it.
        assembly {
            let ok := delegatecall(gas(), lib, add(data, 0x20), mload(data), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            if unlock { tstore(lock, 0) }
            return(0, returndatasize())
        }
    }

    function _onlyVault(Tranche tranche) private view {
        if (msg.sender != (tranche == Tranche.Senior ? seniorVaultAddr : juniorVaultAddr)) revert NotVault(msg.sender);
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
