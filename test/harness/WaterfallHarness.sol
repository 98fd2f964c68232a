// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Waterfall} from "../../src/libraries/Waterfall.sol";

/// @notice Exposes Waterfall externally, for the SDK's exact-equality tests against a chain.
contract WaterfallHarness {
    function compoundClaimDown(uint256 claim, uint256 rateWad, uint256 elapsed) external pure returns (uint256) {
        return Waterfall.compoundClaimDown(claim, rateWad, elapsed);
    }

    function split(uint256 nav, uint256 claim) external pure returns (uint256 seniorValue, uint256 juniorValue) {
        return Waterfall.split(nav, claim);
    }

    function maxSeniorDeposit(uint256 juniorValue, uint256 nav, uint256 minJuniorRatioBps)
        external
        pure
        returns (uint256)
    {
        return Waterfall.maxSeniorDeposit(juniorValue, nav, minJuniorRatioBps);
    }

    function maxJuniorWithdraw(uint256 juniorValue, uint256 nav, uint256 minJuniorRatioBps)
        external
        pure
        returns (uint256)
    {
        return Waterfall.maxJuniorWithdraw(juniorValue, nav, minJuniorRatioBps);
    }

    function claimReduction(uint256 claim, uint256 assets, uint256 shares, uint256 supply)
        external
        pure
        returns (uint256)
    {
        return Waterfall.claimReduction(claim, assets, shares, supply);
    }
}
