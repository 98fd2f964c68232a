// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../../governance/Governed.sol";
import {RateIntegrity} from "../../interest/RateIntegrity.sol";
import {ICollectionRegistry} from "../../interfaces/ICollectionRegistry.sol";
import {CollectionConfig, IStrataPool} from "../../interfaces/IStrataPool.sol";
import {AssetTransfer} from "../../libraries/AssetTransfer.sol";
import {PoolParameters} from "../PoolParameters.sol";
import {PoolStorageLayout} from "../PoolStorageLayout.sol";
import {PoolValues} from "./PoolValues.sol";
import {QueueHold} from "./QueueHold.sol";

/// @title PoolAdmin
/// @notice The pool's governance setters (SPEC §8.2), each checking its hard bounds (`PoolParameters`) and emitting the
///         old and the new value, and its rare flows (protocol-fee payout, income booked by `recover`). An external
///         library linked into the pool, as `LoanLogic` is: the pool `delegatecall`s it from its entry points (which
///         keep access control and the reentrancy lock) and its initializer, so the pool's bytecode keeps its room
///         under EIP-170 for the paths that move money.
/// @dev Access control stays in the pool's entry points; this library assumes it. Every function takes the pool's
///      storage pointer, so a direct call cannot reach any pool's storage.
library PoolAdmin {
    using SafeCast for uint256;

    /// @notice `StrataPool.initialize` after its governance and multicall initializers: checks the addresses (none
    ///         zero, each the one the implementation is wired to), stores them and every parameter.
    /// @param $ The pool's storage.
    /// @param p The initialization parameters.
    /// @param wired The implementation's immutables, in `p`'s order: asset, registry, senior vault, junior vault,
    ///        liquidator (`ImplementationMismatch` when `p` differs).
    function initialize(
        PoolStorageLayout.PoolStorage storage $,
        PoolStorageLayout.InitParams calldata p,
        address[5] calldata wired
    ) external {
        address[5] memory given = [p.asset, p.registry, p.seniorVault, p.juniorVault, p.liquidator];
        bytes32[5] memory names = [bytes32("asset"), "registry", "seniorVault", "juniorVault", "liquidator"];
        if (p.treasury == address(0)) revert Governed.ZeroAddress();
        for (uint256 i; i < 5; ++i) {
            if (given[i] == address(0)) revert Governed.ZeroAddress();
        }
        for (uint256 i; i < 5; ++i) {
            if (given[i] != wired[i]) revert IStrataPool.ImplementationMismatch(names[i], wired[i], given[i]);
        }
        $.asset = ERC20(p.asset);
        $.registry = ICollectionRegistry(p.registry);
        $.seniorVault = p.seniorVault;
        $.juniorVault = p.juniorVault;
        $.liquidator = p.liquidator;
        $.treasury = p.treasury;
        $.loanIdCursor = 1;
        $.seniorLastUpdate = uint40(block.timestamp);
        emit IStrataPool.TreasurySet(address(0), p.treasury);
        emit IStrataPool.LiquidatorSet(address(0), p.liquidator);
        $.seniorAccrualMode = 1;
        setSeniorRate($, p.seniorRate);
        setMinJuniorRatio($, p.minJuniorRatioBps);
        setFees($, p.originationFeeBps, p.protocolFeeBps);
        setGracePeriod($, p.gracePeriod);
        setQueueHold($, p.queueHoldThresholdBps, p.queueCooldown);
    }

    /// @notice `StrataPool.setSeniorRate`: the claim is compounded at the old accrual rate up to now first.
    /// @param $ The pool's storage.
    /// @param rate The senior APR, WAD, within `[0, MAX_SENIOR_RATE]`.
    function setSeniorRate(PoolStorageLayout.PoolStorage storage $, uint256 rate) public {
        PoolParameters.check("seniorRate", rate, 0, PoolParameters.MAX_SENIOR_RATE);
        PoolValues.checkpointSenior($);
        emit IStrataPool.SeniorRateSet($.seniorRate, rate);
        $.seniorRate = uint64(rate);
    }

    /// @notice `StrataPool.setMinJuniorRatio`.
    /// @param $ The pool's storage.
    /// @param bps The minimum junior share of NAV, within `[0, MAX_MIN_JUNIOR_RATIO_BPS]`.
    function setMinJuniorRatio(PoolStorageLayout.PoolStorage storage $, uint256 bps) public {
        PoolParameters.check("minJuniorRatioBps", bps, 0, PoolParameters.MAX_MIN_JUNIOR_RATIO_BPS);
        emit IStrataPool.MinJuniorRatioSet($.minJuniorRatioBps, bps);
        $.minJuniorRatioBps = uint16(bps);
    }

    /// @notice `StrataPool.setFees`: for loans made from now on.
    /// @param $ The pool's storage.
    /// @param originationFeeBps Of principal, within `[0, MAX_ORIGINATION_FEE_BPS]`.
    /// @param protocolFeeBps Of interest, within `[0, MAX_PROTOCOL_FEE_BPS]`.
    function setFees(PoolStorageLayout.PoolStorage storage $, uint256 originationFeeBps, uint256 protocolFeeBps)
        public
    {
        PoolParameters.check("originationFeeBps", originationFeeBps, 0, PoolParameters.MAX_ORIGINATION_FEE_BPS);
        PoolParameters.check("protocolFeeBps", protocolFeeBps, 0, PoolParameters.MAX_PROTOCOL_FEE_BPS);
        emit IStrataPool.FeesSet($.originationFeeBps, originationFeeBps, $.protocolFeeBps, protocolFeeBps);
        $.originationFeeBps = uint16(originationFeeBps);
        $.protocolFeeBps = uint16(protocolFeeBps);
    }

    /// @notice `StrataPool.setGracePeriod`: for loans made from now on.
    /// @param $ The pool's storage.
    /// @param gracePeriod Seconds after maturity, within `[MIN_GRACE_PERIOD, MAX_GRACE_PERIOD]`.
    function setGracePeriod(PoolStorageLayout.PoolStorage storage $, uint256 gracePeriod) public {
        PoolParameters.check(
            "gracePeriod", gracePeriod, PoolParameters.MIN_GRACE_PERIOD, PoolParameters.MAX_GRACE_PERIOD
        );
        emit IStrataPool.GracePeriodSet($.gracePeriod, gracePeriod);
        $.gracePeriod = uint32(gracePeriod);
    }

    /// @notice `StrataPool.setQueueHold` (SPEC §5.7).
    /// @param $ The pool's storage.
    /// @param thresholdBps The hold's materiality threshold, within `[1, MAX_HOLD_THRESHOLD_BPS]`.
    /// @param cooldown The cooldown after a hold, within `[MIN_QUEUE_COOLDOWN, MAX_QUEUE_COOLDOWN]`.
    function setQueueHold(PoolStorageLayout.PoolStorage storage $, uint256 thresholdBps, uint256 cooldown) public {
        PoolParameters.check("queueHoldThresholdBps", thresholdBps, 1, PoolParameters.MAX_HOLD_THRESHOLD_BPS);
        PoolParameters.check(
            "queueCooldown", cooldown, PoolParameters.MIN_QUEUE_COOLDOWN, PoolParameters.MAX_QUEUE_COOLDOWN
        );
        emit IStrataPool.QueueHoldSet(QueueHold.thresholdBpsOf($), thresholdBps, QueueHold.cooldownOf($), cooldown);
        $.holdThresholdBps = uint16(thresholdBps);
        $.queueCooldown = uint32(cooldown);
    }

    /// @notice `StrataPool.setTreasury`.
    /// @param $ The pool's storage.
    /// @param treasury The new treasury (not zero).
    function setTreasury(PoolStorageLayout.PoolStorage storage $, address treasury) external {
        if (treasury == address(0)) revert Governed.ZeroAddress();
        emit IStrataPool.TreasurySet($.treasury, treasury);
        $.treasury = treasury;
    }

    /// @notice `StrataPool.setCollectionConfig` (the pool checks the caller is its registry): writes the pool's copy of
    ///         `collection`'s configuration and rarity root. The registry emits the change's event.
    /// @param $ The pool's storage.
    /// @param collection The collection.
    /// @param config Its configuration.
    /// @param rarityRoot Its rarity root.
    function setCollectionConfig(
        PoolStorageLayout.PoolStorage storage $,
        address collection,
        CollectionConfig calldata config,
        bytes32 rarityRoot
    ) external {
        $.collectionConfigs[collection] = config;
        $.rarityRoots[collection] = rarityRoot;
    }

    /// @notice `StrataPool.setBorrowsPaused` (the pool checks who may pause or unpause).
    /// @param $ The pool's storage.
    /// @param isPaused The new state.
    function setBorrowsPaused(PoolStorageLayout.PoolStorage storage $, bool isPaused) external {
        emit IStrataPool.BorrowsPausedSet($.borrowsPaused, isPaused);
        $.borrowsPaused = isPaused;
    }

    /// @notice `StrataPool.setDepositsPaused` (the pool checks who may pause or unpause).
    /// @param $ The pool's storage.
    /// @param isPaused The new state.
    function setDepositsPaused(PoolStorageLayout.PoolStorage storage $, bool isPaused) external {
        emit IStrataPool.DepositsPausedSet($.depositsPaused, isPaused);
        $.depositsPaused = isPaused;
    }

    /// @notice `StrataPool.setRateWindow` (the pool has integrated the averages up to now under the old window).
    /// @param $ The pool's storage.
    /// @param window The window of the time-weighted utilization, within `[MIN_WINDOW, MAX_WINDOW]`.
    function setRateWindow(PoolStorageLayout.PoolStorage storage $, uint256 window) external {
        PoolParameters.check("rateWindow", window, RateIntegrity.MIN_WINDOW, RateIntegrity.MAX_WINDOW);
        emit IStrataPool.RateWindowSet(RateIntegrity.windowOf($.rate), window);
        $.rate.window = uint24(window);
    }

    /// @notice `StrataPool.payProtocolFees`: sends the accrued protocol fees to the treasury (anyone may call; the
    ///         pool holds the reentrancy lock).
    /// @param $ The pool's storage.
    /// @return amount The fees paid.
    function payProtocolFees(PoolStorageLayout.PoolStorage storage $) external returns (uint256 amount) {
        amount = $.protocolFees;
        if (amount == 0) revert IStrataPool.NothingToClaim($.treasury);
        $.protocolFees = 0;
        emit IStrataPool.ProtocolFeesPaid($.treasury, amount);
        SafeTransferLib.safeTransfer($.asset, $.treasury, amount);
    }

    /// @notice `StrataPool.recover`: books `amount`, pulled from the caller, as income tied to no loan (the pool has
    ///         integrated the rate state and checkpointed the senior claim first).
    /// @param $ The pool's storage.
    /// @param amount The income, not zero.
    function recover(PoolStorageLayout.PoolStorage storage $, uint256 amount) external {
        if (amount == 0) revert IStrataPool.ZeroAmount();
        $.cash = (uint256($.cash) + amount).toUint128();
        emit IStrataPool.Recovered(msg.sender, amount);
        AssetTransfer.pullExact($.asset, msg.sender, address(this), amount);
    }
}
