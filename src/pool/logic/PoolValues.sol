// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../../interest/LoanInterest.sol";
import {Waterfall} from "../../libraries/Waterfall.sol";
import {PoolStorageLayout} from "../PoolStorageLayout.sol";
import {QueueHold} from "./QueueHold.sol";

/// @title PoolValues
/// @notice NAV and the senior claim of a pool at `block.timestamp` (SPEC §4.1, §5.1), from its O(1) stored sums: the
///         one home of both closed forms, for the pool and for its linked logic.
library PoolValues {
    /// @notice `cash + totalPrincipal + accrued` (accrued interest of active loans net of protocol fees, rounded down).
    function nav(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        return $.cash + $.totalPrincipal + LoanInterest.accrued($.rateSum, $.rateTimeSum, block.timestamp);
    }

    /// @notice The stored senior claim compounded to now (Taylor, rounded down) at `seniorAccrualRate`: the pool
    ///         checkpoints the claim before every change of principal or cash, so the rate held since the checkpoint.
    ///         Checkpointed in this timestamp: the stored claim itself (compounding over 0 s is the identity), without
    ///         computing the rate (issue #30: every lender and loan operation values the tranches right after its
    ///         checkpoint).
    function seniorClaimNow(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        uint256 elapsed = block.timestamp - $.seniorLastUpdate;
        if (elapsed == 0) return $.seniorClaim;
        return Waterfall.compoundClaimDown($.seniorClaim, seniorAccrualRate($), elapsed);
    }

    /// @notice The rate the senior claim accrues at now (SPEC §5.1): `seniorRate × P / (P + cash)`, rounded down:
    ///         the senior is paid its rate on its share of lent capital and nothing on idle cash. A pool upgraded from
    ///         0.2 accrues the full `seniorRate` until its first change of principal or cash (`checkpointSenior`).
    function seniorAccrualRate(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        if ($.seniorAccrualMode == 0) return $.seniorRate;
        return Waterfall.accrualRateDown($.seniorRate, $.totalPrincipal, $.cash);
    }

    /// @notice Compounds the claim to now at the rate that held since its last checkpoint and restarts it (at most
    ///         one write per timestamp). Called before every change of principal or cash.
    /// @dev `seniorClaimNow`'s compounding, written out: calling it here re-reads the stamp and tests `elapsed == 0`
    ///      again, +166 gas on every core operation (measured under the IR pipeline, above the ceilings).
    function checkpointSenior(PoolStorageLayout.PoolStorage storage $) internal {
        uint256 last = $.seniorLastUpdate;
        if (last != block.timestamp) {
            uint256 elapsed = block.timestamp - last;
            $.seniorClaim = uint128(Waterfall.compoundClaimDown($.seniorClaim, seniorAccrualRate($), elapsed));
            $.seniorLastUpdate = uint40(block.timestamp);
        }
        if ($.seniorAccrualMode == 0) {
            $.seniorAccrualMode = 1;
            QueueHold.noteQueues($);
        }
    }

    /// @notice NAV and the senior claim now: everything the tranche values derive from.
    function values(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256 nav_, uint256 claim) {
        return (nav($), seniorClaimNow($));
    }
}
