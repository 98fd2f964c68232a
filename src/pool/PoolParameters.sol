// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurveLib} from "../interest/RateCurve.sol";
import {CollectionParams, IStrataPool} from "../interfaces/IStrataPool.sol";

/// @title PoolParameters
/// @notice Every governance parameter of the pool and its hard bounds in code (SPEC §8): governance cannot set a
///         value outside them. A violation reverts with `ParameterOutOfBounds(name, value, min, max)`.
library PoolParameters {
    uint256 internal constant MAX_LTV_BPS = 9000;
    uint256 internal constant MAX_LIQUIDATION_THRESHOLD_BPS = 9500;
    uint256 internal constant MAX_LIQUIDATION_PENALTY_BPS = 2000;
    uint256 internal constant MAX_LATE_FEE_BPS = 1000;
    uint256 internal constant MIN_RARITY_BPS = 10_000;
    uint256 internal constant MAX_RARITY_BPS = 50_000;
    uint256 internal constant MIN_DURATION = 1 days;
    uint256 internal constant MAX_DURATION = 365 days;
    uint256 internal constant MAX_SENIOR_RATE = 0.3e18;
    uint256 internal constant MAX_MIN_JUNIOR_RATIO_BPS = 9000;
    uint256 internal constant MAX_ORIGINATION_FEE_BPS = 500;
    uint256 internal constant MAX_PROTOCOL_FEE_BPS = 5000;
    uint256 internal constant MIN_GRACE_PERIOD = 1 hours;
    uint256 internal constant MAX_GRACE_PERIOD = 30 days;
    /// @notice SPEC §5.7: a queue hold needs pending recoveries above this share of a tranche's value at book (10 %).
    uint256 internal constant MAX_HOLD_THRESHOLD_BPS = 1000;
    /// @notice SPEC §5.7: the cooldown after a hold, at least the time a keeper needs to start a liquidation.
    uint256 internal constant MIN_QUEUE_COOLDOWN = 1 hours;
    uint256 internal constant MAX_QUEUE_COOLDOWN = 7 days;
    /// @notice SPEC §3.4: the proof-less rarity multiplier of a collection with a rarity list is at most 1×.
    uint256 internal constant MAX_NO_PROOF_RARITY_BPS = 10_000;

    function check(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert IStrataPool.ParameterOutOfBounds(name, value, min, max);
    }

    /// @notice Reverts unless every field of `p` is within bounds and consistent: each field within its hard bounds,
    ///         `liquidationThresholdBps > ltvBps`, `maxDuration >= minDuration`, `lateFeeBps <=
    ///         liquidationPenaltyBps` (`LateFeeAbovePenalty`), and a valid curve. Checked at listing and at every
    ///         change (`CollectionRegistry.configureCollection` is the only writer).
    function validateCollection(CollectionParams calldata p) internal pure {
        if (p.oracle == address(0)) revert IStrataPool.ParameterOutOfBounds("oracle", 0, 1, type(uint160).max);
        check("ltvBps", p.ltvBps, 1, MAX_LTV_BPS);
        check("liquidationThresholdBps", p.liquidationThresholdBps, p.ltvBps + 1, MAX_LIQUIDATION_THRESHOLD_BPS);
        check("liquidationPenaltyBps", p.liquidationPenaltyBps, 0, MAX_LIQUIDATION_PENALTY_BPS);
        check("lateFeeBps", p.lateFeeBps, 0, MAX_LATE_FEE_BPS);
        // Tied bound (SPEC §8): liquidation (penalty) must never be the cheaper way out of a late loan.
        if (p.lateFeeBps > p.liquidationPenaltyBps) {
            revert IStrataPool.LateFeeAbovePenalty(p.lateFeeBps, p.liquidationPenaltyBps);
        }
        check("maxRarityBps", p.maxRarityBps, MIN_RARITY_BPS, MAX_RARITY_BPS);
        check("minDuration", p.minDuration, MIN_DURATION, MAX_DURATION);
        check("maxDuration", p.maxDuration, p.minDuration, MAX_DURATION);
        RateCurveLib.validate(p.curve);
    }
}
