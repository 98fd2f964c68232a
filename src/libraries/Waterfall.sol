// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "./FixedPointMath.sol";

/// @title Waterfall
/// @notice The senior/junior split of the pool's NAV and the subordination limits (SPEC §5), as pure functions.
/// @dev The senior is owed a claim compounding at `seniorRate`; it is paid first and loses last:
///      `seniorValue = min(seniorClaim, NAV)`, `juniorValue = NAV - seniorValue`.
library Waterfall {
    using FixedPointMath for uint256;

    /// @notice The senior claim `claim` compounded at `rateWad` for `elapsed` seconds (Taylor, rounded down).
    function compoundClaimDown(uint256 claim, uint256 rateWad, uint256 elapsed) internal pure returns (uint256) {
        if (claim == 0 || elapsed == 0 || rateWad == 0) return claim;
        return claim + claim.wMulDown(FixedPointMath.wTaylorCompoundedDown(rateWad, elapsed));
    }

    /// @notice Splits `nav` into the senior and junior values given the senior claim `claim`.
    function split(uint256 nav, uint256 claim) internal pure returns (uint256 seniorValue, uint256 juniorValue) {
        seniorValue = FixedPointMath.min(claim, nav);
        juniorValue = nav - seniorValue;
    }

    /// @notice The largest senior deposit `x` with `juniorValue >= minJuniorRatioBps * (nav + x)`, rounded down.
    /// @dev A senior deposit leaves the junior value unchanged while the senior is whole (the only time it is allowed).
    function maxSeniorDeposit(uint256 juniorValue, uint256 nav, uint256 minJuniorRatioBps)
        internal
        pure
        returns (uint256)
    {
        if (minJuniorRatioBps == 0) return type(uint256).max;
        return FixedPointMath.zeroFloorSub(juniorValue.mulDivDown(FixedPointMath.BPS, minJuniorRatioBps), nav);
    }

    /// @notice The largest junior withdrawal `y` with `juniorValue - y >= minJuniorRatioBps * (nav - y)`, rounded down.
    function maxJuniorWithdraw(uint256 juniorValue, uint256 nav, uint256 minJuniorRatioBps)
        internal
        pure
        returns (uint256)
    {
        if (minJuniorRatioBps == 0) return juniorValue;
        uint256 room = FixedPointMath.zeroFloorSub(juniorValue * FixedPointMath.BPS, minJuniorRatioBps * nav);
        return FixedPointMath.min(room / (FixedPointMath.BPS - minJuniorRatioBps), juniorValue);
    }

    /// @notice How much the senior claim `claim` falls when `shares` of `supply` senior shares are burned for
    ///         `assets`: exactly the assets paid, and the last exit takes the whole claim (its rounding dust goes to
    ///         the junior). While the senior is whole its value is its claim, so an exit never lowers the senior share
    ///         price and never leaks to the junior (the vault pays at most the shares' value, rounded down). While it
    ///         is impaired (by loans in liquidation or a realised loss) the exiter is paid the realised price and the
    ///         claim falls by that payment only: the value it forgoes stays owed to the remaining seniors, never to the
    ///         junior (SPEC §5.1; finding A-4 in docs/SECURITY.md).
    /// @dev Needs `assets <= min(claim, nav)` (the senior value): the pool's exit limits guarantee it.
    function claimReduction(uint256 claim, uint256 assets, uint256 shares, uint256 supply)
        internal
        pure
        returns (uint256)
    {
        if (shares >= supply) return claim;
        return assets;
    }
}
