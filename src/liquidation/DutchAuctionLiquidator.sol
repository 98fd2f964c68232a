// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";
import {ERC721} from "solmate/tokens/ERC721.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../governance/Governed.sol";
import {LoanInterest} from "../interest/LoanInterest.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {Auction, AuctionParams, AuctionStatus, ILiquidator} from "../interfaces/ILiquidator.sol";
import {IStrataPool, Impairment, Loan, LoanStatus} from "../interfaces/IStrataPool.sol";
import {AssetTransfer} from "../libraries/AssetTransfer.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {CollectionRules} from "../pool/logic/CollectionRules.sol";

/// @title DutchAuctionLiquidator
/// @notice Owns the liquidation rules (SPEC §3 health and overdue, §7 auctions). A loan overdue past its grace period,
///         or unhealthy at a fresh price, is impaired in the pool and its NFT sold by a descending-price auction from
///         `appraisal × startMultiplier` to `appraisal × endMultiplier` over `auctionDuration`, then flat. While it
///         runs the borrower may redeem for debt plus penalty. Every auction settles exactly once; the NFT leaves
///         only to a buyer, the borrower, or (governance, after `recoveryTimeout`) a recovery address.
/// @dev Buyers and redeemers pay the pool directly (balance-checked); only a borrower's surplus rests here until the
///      borrower claims it (pull: a blacklisted borrower can never block a sale). `auctionId == loanId`. The pool holds
///      the NFT through the auction and delivers it when the pool call that settles the auction says so; the NFT of a
///      loan impaired before 0.4 is held here and delivered from here (issue #30).
contract DutchAuctionLiquidator is ILiquidator, Governed, UUPSUpgradeable, ReentrancyGuardTransient {
    using FixedPointMath for uint256;

    uint256 internal constant MIN_START_MULTIPLIER_BPS = 10_000;
    uint256 internal constant MAX_START_MULTIPLIER_BPS = 50_000;
    uint256 internal constant MIN_END_MULTIPLIER_BPS = 1000;
    uint256 internal constant MIN_AUCTION_DURATION = 1 hours;
    uint256 internal constant MAX_AUCTION_DURATION = 30 days;
    uint256 internal constant MIN_RECOVERY_TIMEOUT = 7 days;
    uint256 internal constant MAX_RECOVERY_TIMEOUT = 365 days;

    /// @dev An auction as stored: one slot. Its prices derive from `reference` (the appraisal at liquidation) and the
    ///      parameter set `paramsId` in force when it started, so a later governance change never alters it.
    struct StoredAuction {
        uint96 reference_;
        uint96 owed;
        uint40 startTime;
        uint16 paramsId;
        AuctionStatus status;
    }

    /// @custom:storage-location erc7201:strata.storage.Liquidator
    struct LiquidatorStorage {
        IStrataPool pool;
        ERC20 asset;
        ICollectionRegistry registry;
        uint16 paramsId;
        mapping(uint16 paramsId => AuctionParams) params;
        mapping(uint256 auctionId => StoredAuction) auctions;
        mapping(address borrower => uint256) claimable;
        uint256 totalClaimable;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.Liquidator")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LIQUIDATOR_STORAGE = 0x83a3bb329a536440e003f115f4dae5b6153930b761964e56d341e824890b1b00;

    /// @dev The pool, its asset and its collection registry, as immutables of the implementation (issue #30): a sale,
    ///      a redemption and a liquidation read none of them from storage. `LiquidatorStorage` keeps the same addresses
    ///      (append-only layout; `initialize` refuses an implementation built for others).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IStrataPool private immutable poolContract;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ERC20 private immutable assetToken;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ICollectionRegistry private immutable registryContract;

    /// @notice Disables initializers on the implementation and fixes the pool, asset and registry it serves.
    /// @param pool_ The pool (its proxy).
    /// @param asset_ The pool's asset.
    /// @param registry_ The pool's collection registry.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IStrataPool pool_, ERC20 asset_, ICollectionRegistry registry_) {
        poolContract = pool_;
        assetToken = asset_;
        registryContract = registry_;
        _disableInitializers();
    }

    /// @notice Initializes the liquidator of `pool_` behind its proxy.
    function initialize(
        IStrataPool pool_,
        address asset_,
        address governance_,
        address guardian_,
        AuctionParams calldata p
    ) external initializer {
        if (address(pool_) == address(0) || asset_ == address(0)) revert ZeroAddress();
        __Governed_init(governance_, guardian_);
        LiquidatorStorage storage $ = _ls();
        if (address(pool_) != address(poolContract)) {
            revert ImplementationMismatch("pool", address(poolContract), address(pool_));
        }
        if (asset_ != address(assetToken)) revert ImplementationMismatch("asset", address(assetToken), asset_);
        $.pool = pool_;
        $.asset = ERC20(asset_);
        $.registry = registryContract;
        _setParams(p);
    }

    // ------------------------------------------------------------------------------------------ actions

    /// @inheritdoc ILiquidator
    function liquidate(uint256 loanId) external nonReentrant returns (uint256 auctionId) {
        LiquidatorStorage storage $ = _ls();
        // One pool call (issue #30): the pool checks the loan is active, impairs it (keeping its NFT until the auction
        // ends) and returns what the liquidation rules need; a loan that was neither overdue nor unhealthy reverts the
        // whole call, so nothing of the impairment survives it (SPEC §7.1).
        Impairment memory imp = poolContract.impair(loanId);
        address oracle = imp.oracle == address(0) ? registryContract.oracleOf(imp.collection) : imp.oracle;
        (uint256 appraisal, bool fresh) = CollectionRules.appraisal(oracle, imp.collection, imp.rarityBps);
        if (!_liquidatable(imp.overdueAfter, fresh, imp.debt, appraisal, imp.liquidationThresholdBps)) {
            revert NotLiquidatable(loanId);
        }
        // Owed (debt + penalty) saturates at 2^96 - 1, far above any real loan (principal is below 2^96).
        uint256 owed = (imp.debt + imp.penalty).min(type(uint96).max);
        // A dead price (zero) falls back to the debt as the reference, so the auction still starts somewhere sane.
        uint256 reference_ = (appraisal == 0 ? owed : appraisal).min(type(uint96).max);
        $.auctions[loanId] = StoredAuction({
            reference_: uint96(reference_),
            owed: uint96(owed),
            startTime: uint40(block.timestamp),
            paramsId: $.paramsId,
            status: AuctionStatus.Running
        });
        emit AuctionStarted(loanId, msg.sender, reference_, owed, $.paramsId);
        return loanId;
    }

    /// @inheritdoc ILiquidator
    function buy(uint256 auctionId, uint256 maxPrice) external nonReentrant returns (uint256 price) {
        LiquidatorStorage storage $ = _ls();
        StoredAuction storage a = _running($, auctionId);
        price = _price($, a);
        if (price > maxPrice) revert PriceAboveMax(price, maxPrice);
        uint256 toPool = price.min(a.owed);
        uint256 surplus = price - toPool;
        a.status = AuctionStatus.Sold;
        emit AuctionSold(auctionId, msg.sender, price, toPool, surplus);

        // Proceeds up to the debt and penalty go straight to the pool; the surplus waits here for the borrower.
        if (toPool > 0) AssetTransfer.pullExact(assetToken, msg.sender, address(poolContract), toPool);
        if (surplus > 0) AssetTransfer.pullExact(assetToken, msg.sender, address(this), surplus);
        (address borrower, bool delivered) = poolContract.completeLiquidation(auctionId, toPool, msg.sender);
        if (surplus > 0) {
            $.claimable[borrower] += surplus;
            $.totalClaimable += surplus;
        }
        if (!delivered) _deliverHeld(auctionId, msg.sender);
    }

    /// @inheritdoc ILiquidator
    function redeem(uint256 loanId) external nonReentrant returns (uint256 amount) {
        LiquidatorStorage storage $ = _ls();
        StoredAuction storage a = _running($, loanId);
        amount = a.owed;
        a.status = AuctionStatus.Redeemed;
        emit AuctionRedeemed(loanId, msg.sender, amount);

        AssetTransfer.pullExact(assetToken, msg.sender, address(poolContract), amount);
        (address borrower, bool delivered) = poolContract.completeLiquidation(loanId, amount, address(0));
        if (!delivered) _deliverHeld(loanId, borrower);
    }

    /// @inheritdoc ILiquidator
    function recoverUnsold(uint256 auctionId, address to, uint256 estimate) external onlyGovernance nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        LiquidatorStorage storage $ = _ls();
        StoredAuction storage a = _running($, auctionId);
        uint256 availableAt = uint256(a.startTime) + $.params[a.paramsId].recoveryTimeout;
        if (block.timestamp < availableAt) revert RecoveryTooEarly(auctionId, availableAt);
        a.status = AuctionStatus.Recovered;
        emit AuctionRecovered(auctionId, to, estimate);

        // The pool keeps the loan in liquidation at `estimate` until governance books the sale (SPEC §7.5).
        if (!poolContract.markUnsold(auctionId, estimate, to)) _deliverHeld(auctionId, to);
    }

    /// @inheritdoc ILiquidator
    function claim(address receiver) external nonReentrant returns (uint256 amount) {
        if (receiver == address(0)) revert ZeroAddress();
        LiquidatorStorage storage $ = _ls();
        amount = $.claimable[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        $.claimable[msg.sender] = 0;
        $.totalClaimable -= amount;
        emit SurplusClaimed(msg.sender, receiver, amount);
        SafeTransferLib.safeTransfer(assetToken, receiver, amount);
    }

    /// @notice Sets the auction parameters for auctions started from now on. Governance only, bounded.
    function setAuctionParams(AuctionParams calldata p) external onlyGovernance {
        _setParams(p);
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc ILiquidator
    function currentPrice(uint256 auctionId) external view returns (uint256) {
        LiquidatorStorage storage $ = _ls();
        return _price($, _running($, auctionId));
    }

    /// @inheritdoc ILiquidator
    function auction(uint256 auctionId) external view returns (Auction memory v) {
        LiquidatorStorage storage $ = _ls();
        StoredAuction storage a = $.auctions[auctionId];
        AuctionParams memory p = $.params[a.paramsId];
        if (a.status == AuctionStatus.None) return v;
        v.startPrice = uint128(uint256(a.reference_).bpsUp(p.startMultiplierBps));
        v.endPrice = uint128(uint256(a.reference_).bpsUp(p.endMultiplierBps));
        v.owed = a.owed;
        v.startTime = a.startTime;
        v.duration = p.auctionDuration;
        v.status = a.status;
    }

    /// @inheritdoc ILiquidator
    function claimable(address borrower) external view returns (uint256) {
        return _ls().claimable[borrower];
    }

    /// @notice Surpluses held for borrowers, in total.
    function totalClaimable() external view returns (uint256) {
        return _ls().totalClaimable;
    }

    /// @inheritdoc ILiquidator
    function pool() external view returns (IStrataPool) {
        return poolContract;
    }

    /// @notice The auction parameters.
    function auctionParams() external view returns (AuctionParams memory) {
        return _ls().params[_ls().paramsId];
    }

    /// @inheritdoc ILiquidator
    function health(uint256 loanId) external view returns (uint256 healthWad, bool priceFresh) {
        Loan memory l = poolContract.loan(loanId);
        if (l.status != LoanStatus.Active) revert IStrataPool.LoanNotActive(loanId);
        uint256 appraisal;
        (appraisal, priceFresh) = registryContract.appraisal(l.collection, l.rarityBps);
        healthWad = appraisal.bpsDown(l.liquidationThresholdBps).wDivDown(_debt(l));
    }

    /// @inheritdoc ILiquidator
    function isLiquidatable(uint256 loanId) external view returns (bool ok) {
        Loan memory l = poolContract.loan(loanId);
        if (l.status != LoanStatus.Active) return false;
        (uint256 appraisal, bool fresh) = registryContract.appraisal(l.collection, l.rarityBps);
        return _liquidatable(uint256(l.maturity) + l.gracePeriod, fresh, _debt(l), appraisal, l.liquidationThresholdBps);
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev Principal plus interest now (the health measure; the late fee is not part of it).
    function _debt(Loan memory l) private view returns (uint256) {
        return l.principal + LoanInterest.interest(l.principal, l.apr, block.timestamp - l.start);
    }

    /// @dev The liquidation rule (SPEC §7.1): overdue (past maturity plus grace), or unhealthy at a fresh price (debt
    ///      above appraisal × threshold, rounded down).
    function _liquidatable(uint256 overdueAfter, bool fresh, uint256 debt, uint256 appraisal, uint256 thresholdBps)
        private
        view
        returns (bool)
    {
        if (block.timestamp > overdueAfter) return true;
        return fresh && debt > appraisal.bpsDown(thresholdBps);
    }

    /// @dev Linear from `reference × start` to `reference × end` over the auction's duration, then flat; each bound
    ///      rounded up and the fall rounded down (the pool's favour).
    function _price(LiquidatorStorage storage $, StoredAuction storage a) private view returns (uint256) {
        AuctionParams memory p = $.params[a.paramsId];
        uint256 startPrice = uint256(a.reference_).bpsUp(p.startMultiplierBps);
        uint256 endPrice = uint256(a.reference_).bpsUp(p.endMultiplierBps);
        uint256 elapsed = block.timestamp - a.startTime;
        if (elapsed >= p.auctionDuration) return endPrice;
        return startPrice - (startPrice - endPrice).mulDivDown(elapsed, p.auctionDuration);
    }

    /// @dev Sends `to` the NFT of loan `loanId`, which this contract holds: a loan impaired before 0.4, whose token the
    ///      pool sent here (since, the pool keeps it and delivers it itself; issue #30). Called last, once the pool has
    ///      settled the loan.
    function _deliverHeld(uint256 loanId, address to) private {
        Loan memory l = poolContract.loan(loanId);
        ERC721(l.collection).transferFrom(address(this), to, l.tokenId);
    }

    function _running(LiquidatorStorage storage $, uint256 auctionId) private view returns (StoredAuction storage a) {
        a = $.auctions[auctionId];
        if (a.status != AuctionStatus.Running) revert AuctionNotRunning(auctionId);
    }

    function _setParams(AuctionParams calldata p) private {
        _check("startMultiplierBps", p.startMultiplierBps, MIN_START_MULTIPLIER_BPS, MAX_START_MULTIPLIER_BPS);
        _check("endMultiplierBps", p.endMultiplierBps, MIN_END_MULTIPLIER_BPS, p.startMultiplierBps);
        _check("auctionDuration", p.auctionDuration, MIN_AUCTION_DURATION, MAX_AUCTION_DURATION);
        _check("recoveryTimeout", p.recoveryTimeout, MIN_RECOVERY_TIMEOUT.max(p.auctionDuration), MAX_RECOVERY_TIMEOUT);
        LiquidatorStorage storage $ = _ls();
        uint16 id = $.paramsId;
        emit AuctionParamsSet($.params[id], p);
        // A new parameter set: running auctions keep the one they started with.
        id = id + 1;
        $.paramsId = id;
        $.params[id] = p;
    }

    function _check(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ParameterOutOfBounds(name, value, min, max);
    }

    function _ls() private pure returns (LiquidatorStorage storage $) {
        assembly {
            $.slot := LIQUIDATOR_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
