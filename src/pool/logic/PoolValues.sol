// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../../interest/LoanInterest.sol";
import {Waterfall} from "../../libraries/Waterfall.sol";
import {StrataPool} from "../StrataPool.sol";

/// @title PoolValues
/// @notice NAV and the senior claim of a pool at `block.timestamp` (SPEC §4.1, §5.1), from its O(1) stored sums: the
///         one home of both closed forms, for the pool and for its linked logic.
library PoolValues {
    /// @notice `cash + totalPrincipal + accrued` (accrued interest of active loans net of protocol fees, rounded down).
    function nav(StrataPool.PoolStorage storage $) internal view returns (uint256) {
        return $.cash + $.totalPrincipal + LoanInterest.accrued($.rateSum, $.rateTimeSum, block.timestamp);
    }

    /// @notice The stored senior claim compounded to now (Taylor, rounded down).
    function seniorClaimNow(StrataPool.PoolStorage storage $) internal view returns (uint256) {
        return Waterfall.compoundClaimDown($.seniorClaim, $.seniorRate, block.timestamp - $.seniorLastUpdate);
    }

    /// @notice NAV and the senior claim now: everything the tranche values derive from.
    function values(StrataPool.PoolStorage storage $) internal view returns (uint256 nav_, uint256 claim) {
        return (nav($), seniorClaimNow($));
    }
}
