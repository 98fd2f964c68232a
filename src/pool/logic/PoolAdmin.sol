// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool} from "../../interfaces/IStrataPool.sol";
import {PoolParameters} from "../PoolParameters.sol";
import {StrataPool} from "../StrataPool.sol";
import {PoolValues} from "./PoolValues.sol";
import {QueueHold} from "./QueueHold.sol";

/// @title PoolAdmin
/// @notice The pool's governance setters (SPEC §8.2): each checks its hard bounds (`PoolParameters`), emits the old
///         and the new value, and writes the pool's ERC-7201 storage. An external library linked into the pool, as
///         `LoanLogic` is: the pool `delegatecall`s it from its `onlyGovernance` entry points and its initializer, so
///         the pool's bytecode keeps its room under EIP-170 for the paths that move money.
/// @dev Access control stays in the pool's entry points; this library assumes it. Every function takes the pool's
///      storage pointer, so a direct call cannot reach any pool's storage.
library PoolAdmin {
    /// @notice Every parameter of `StrataPool.initialize`, in one call.
    /// @param $ The pool's storage.
    /// @param p The initialization parameters.
    function initParameters(StrataPool.PoolStorage storage $, StrataPool.InitParams calldata p) external {
        setSeniorRate($, p.seniorRate);
        setMinJuniorRatio($, p.minJuniorRatioBps);
        setFees($, p.originationFeeBps, p.protocolFeeBps);
        setGracePeriod($, p.gracePeriod);
        setQueueHold($, p.queueHoldThresholdBps, p.queueCooldown);
    }

    /// @notice `StrataPool.setSeniorRate`: the claim is compounded at the old rate up to now first.
    /// @param $ The pool's storage.
    /// @param rate The senior APR, WAD, within `[0, MAX_SENIOR_RATE]`.
    function setSeniorRate(StrataPool.PoolStorage storage $, uint256 rate) public {
        PoolParameters.check("seniorRate", rate, 0, PoolParameters.MAX_SENIOR_RATE);
        $.seniorClaim = uint128(PoolValues.seniorClaimNow($));
        $.seniorLastUpdate = uint40(block.timestamp);
        emit IStrataPool.SeniorRateSet($.seniorRate, rate);
        $.seniorRate = uint64(rate);
    }

    /// @notice `StrataPool.setMinJuniorRatio`.
    /// @param $ The pool's storage.
    /// @param bps The minimum junior share of NAV, within `[0, MAX_MIN_JUNIOR_RATIO_BPS]`.
    function setMinJuniorRatio(StrataPool.PoolStorage storage $, uint256 bps) public {
        PoolParameters.check("minJuniorRatioBps", bps, 0, PoolParameters.MAX_MIN_JUNIOR_RATIO_BPS);
        emit IStrataPool.MinJuniorRatioSet($.minJuniorRatioBps, bps);
        $.minJuniorRatioBps = uint16(bps);
    }

    /// @notice `StrataPool.setFees`: for loans made from now on.
    /// @param $ The pool's storage.
    /// @param originationFeeBps Of principal, within `[0, MAX_ORIGINATION_FEE_BPS]`.
    /// @param protocolFeeBps Of interest, within `[0, MAX_PROTOCOL_FEE_BPS]`.
    function setFees(StrataPool.PoolStorage storage $, uint256 originationFeeBps, uint256 protocolFeeBps) public {
        PoolParameters.check("originationFeeBps", originationFeeBps, 0, PoolParameters.MAX_ORIGINATION_FEE_BPS);
        PoolParameters.check("protocolFeeBps", protocolFeeBps, 0, PoolParameters.MAX_PROTOCOL_FEE_BPS);
        emit IStrataPool.FeesSet($.originationFeeBps, originationFeeBps, $.protocolFeeBps, protocolFeeBps);
        $.originationFeeBps = uint16(originationFeeBps);
        $.protocolFeeBps = uint16(protocolFeeBps);
    }

    /// @notice `StrataPool.setGracePeriod`: for loans made from now on.
    /// @param $ The pool's storage.
    /// @param gracePeriod Seconds after maturity, within `[MIN_GRACE_PERIOD, MAX_GRACE_PERIOD]`.
    function setGracePeriod(StrataPool.PoolStorage storage $, uint256 gracePeriod) public {
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
    function setQueueHold(StrataPool.PoolStorage storage $, uint256 thresholdBps, uint256 cooldown) public {
        PoolParameters.check("queueHoldThresholdBps", thresholdBps, 1, PoolParameters.MAX_HOLD_THRESHOLD_BPS);
        PoolParameters.check(
            "queueCooldown", cooldown, PoolParameters.MIN_QUEUE_COOLDOWN, PoolParameters.MAX_QUEUE_COOLDOWN
        );
        emit IStrataPool.QueueHoldSet(QueueHold.thresholdBpsOf($), thresholdBps, QueueHold.cooldownOf($), cooldown);
        $.holdThresholdBps = uint16(thresholdBps);
        $.queueCooldown = uint32(cooldown);
    }
}
