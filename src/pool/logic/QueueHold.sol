// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool, Tranche} from "../../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../../libraries/FixedPointMath.sol";
import {Waterfall} from "../../libraries/Waterfall.sol";
import {PoolStorageLayout} from "../PoolStorageLayout.sol";
import {PoolValues} from "./PoolValues.sol";

/// @title QueueHold
/// @notice Queue fairness and notice integrity (SPEC §5.7): when a tranche's redemption line is held by loans in
///         liquidation, and when it may be served again after a hold ends.
/// @dev **Materiality.** A line is held while loans are in liquidation and the tranche's value with them at book
///      exceeds its realised value by more than `holdThresholdBps` of the former: a request served then would be paid
///      a price that pending recoveries will raise again by more than that. A loan too small to matter to the
///      tranche holds nothing (finding A-1): requests are then served at the realised price, at most the threshold
///      below their value at book (the conservative side: the difference stays with the lenders who remain).
///      **Cooldown.** A settlement (sale, redemption, recovery estimate or booking) or a junior deposit that happens
///      while a line with waiting requests is held starts that line's cooldown: it is not served before
///      `now + queueCooldown`, so the end of a hold never makes a request servable in the same transaction or block,
///      and keepers can start the liquidation of a loan that turned unhealthy meanwhile (finding A-2).
library QueueHold {
    /// @notice The materiality threshold while governance has set none: 1 % of a tranche's value at book.
    uint256 internal constant DEFAULT_THRESHOLD_BPS = 100;
    /// @notice The cooldown after a hold while governance has set none: one day.
    uint256 internal constant DEFAULT_COOLDOWN = 1 days;

    uint256 internal constant SENIOR = 1;
    uint256 internal constant JUNIOR = 2;

    /// @notice The line bit of `tranche`.
    function line(Tranche tranche) internal pure returns (uint256) {
        return tranche == Tranche.Senior ? SENIOR : JUNIOR;
    }

    /// @notice The lines among `lines` (bit 0 senior, bit 1 junior) held at NAV `nav` and claim `claim`.
    function heldLines(PoolStorageLayout.PoolStorage storage $, uint256 nav, uint256 claim, uint256 lines)
        internal
        view
        returns (uint256 held)
    {
        if (lines == 0 || $.impairedCount == 0) return 0;
        uint256 thresholdBps = thresholdBpsOf($);
        (uint256 senior, uint256 junior) = Waterfall.split(nav, claim);
        (uint256 seniorAtBook, uint256 juniorAtBook) = Waterfall.split(nav + $.impairedBook, claim);
        if (lines & SENIOR != 0 && _material(seniorAtBook - senior, seniorAtBook, thresholdBps)) held = SENIOR;
        if (lines & JUNIOR != 0 && _material(juniorAtBook - junior, juniorAtBook, thresholdBps)) held |= JUNIOR;
    }

    /// @notice The lines held now among those with requests waiting. A line without pending shares has nobody whom
    ///         the end of a hold could make servable (new junior requests wait out their notice anyway); skipping it
    ///         keeps a settlement without queued requests at the cost it had.
    function heldLinesNow(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        uint256 lines = waitingLines($);
        if (lines == 0 || $.impairedCount == 0) return 0;
        (uint256 nav, uint256 claim) = PoolValues.values($);
        return heldLines($, nav, claim, lines);
    }

    /// @notice The lines with pending shares (bit 0 senior, bit 1 junior). Nobody queued (the pool's flag, in the
    ///         senior slot the checkpoint has just read): no queue slot is read.
    function waitingLines(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        if ($.seniorAccrualMode != 0 && !$.queuesPending) return 0;
        return ($.pendingShares[0] != 0 ? SENIOR : 0) | ($.pendingShares[1] != 0 ? JUNIOR : 0);
    }

    /// @notice Rewrites the pool's `queuesPending` flag from the queue slot (after a change of pending shares, and
    ///         at the migration of a pool upgraded from 0.2).
    function noteQueues(PoolStorageLayout.PoolStorage storage $) internal {
        $.queuesPending = $.pendingShares[0] != 0 || $.pendingShares[1] != 0;
    }

    /// @notice `noteQueues` right after tranche `tranche`'s pending shares were set to `pending`: reads only the other.
    function noteQueues(PoolStorageLayout.PoolStorage storage $, Tranche tranche, uint256 pending) internal {
        $.queuesPending = pending != 0 || $.pendingShares[1 - uint256(tranche)] != 0;
    }

    /// @notice Starts the cooldown of each line in `lines` (held before the change being made): it is not served
    ///         before `now + queueCooldown`.
    function startCooldowns(PoolStorageLayout.PoolStorage storage $, uint256 lines) internal {
        if (lines == 0) return;
        uint256 until = block.timestamp + cooldownOf($);
        if (lines & SENIOR != 0) {
            $.seniorServableAfter = uint40(until);
            emit IStrataPool.QueueCooldownStarted(Tranche.Senior, until);
        }
        if (lines & JUNIOR != 0) {
            $.juniorServableAfter = uint40(until);
            emit IStrataPool.QueueCooldownStarted(Tranche.Junior, until);
        }
    }

    /// @notice The time before which `tranche`'s line is not served (the end of its last cooldown; 0: none).
    function servableAfter(PoolStorageLayout.PoolStorage storage $, Tranche tranche) internal view returns (uint256) {
        return tranche == Tranche.Senior ? $.seniorServableAfter : $.juniorServableAfter;
    }

    /// @notice Whether `tranche`'s line is served now: not held, and its cooldown over.
    function open(PoolStorageLayout.PoolStorage storage $, Tranche tranche, uint256 nav, uint256 claim)
        internal
        view
        returns (bool)
    {
        return block.timestamp >= servableAfter($, tranche) && heldLines($, nav, claim, line(tranche)) == 0;
    }

    /// @notice The materiality threshold in force (bps of a tranche's value at book).
    function thresholdBpsOf(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256 bps) {
        bps = $.holdThresholdBps;
        if (bps == 0) bps = DEFAULT_THRESHOLD_BPS;
    }

    /// @notice The cooldown in force (seconds).
    function cooldownOf(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256 cooldown) {
        cooldown = $.queueCooldown;
        if (cooldown == 0) cooldown = DEFAULT_COOLDOWN;
    }

    /// @dev Whether a tranche's `gap` (value at book less realised value) exceeds `thresholdBps` of `atBook`.
    function _material(uint256 gap, uint256 atBook, uint256 thresholdBps) private pure returns (bool) {
        return gap * FixedPointMath.BPS > atBook * thresholdBps;
    }
}
