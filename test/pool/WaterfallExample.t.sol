// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {RateCurve} from "../../src/interest/RateCurve.sol";
import {CollectionParams} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The worked example of the tranche waterfall (SPEC §5), with exact numbers at every step:
///         senior 800k at 5 % APR, junior 200k, a year of pool income of 100k, then a 150k loss.
contract WaterfallExampleTest is StrataTestBase {
    uint256[] internal loans;

    function test_workedExample() public {
        // A flat 10 % curve and one-year terms, so that 1M lent for a year earns exactly 100k.
        CollectionParams memory p = _paramsA();
        p.curve = RateCurve({baseRate: 0.1e18, slope1: 0, slope2: 0, kink: 0.8e18});
        p.maxDuration = 365 days;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);

        // Step 0: junior 200k, senior 800k.
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        _log("step 0: deposits");
        assertEq(senior.totalAssets(), 800_000 * USDC);
        assertEq(junior.totalAssets(), 200_000 * USDC);

        // Step 1: the whole pool lent for a year (20 loans of 50k at 10 %), repaid at maturity: 100k of income.
        for (uint256 i; i < 20; i++) {
            (uint256 id,) = _borrow(carol, apes, 50_000 * USDC, 365 days);
            loans.push(id);
        }
        assertEq(pool.cash(), 0);
        vm.warp(block.timestamp + 365 days);
        _pushPrice(address(apes), FLOOR_A);
        _fund(carol, 1_100_000 * USDC);
        for (uint256 i; i < 20; i++) {
            vm.prank(carol);
            assertEq(pool.repay(loans[i], type(uint256).max), 55_000 * USDC, "50k + 10 % for a year");
        }
        _log("step 1: one year, 100k of interest");
        // Senior claim: 800k * (1 + 0.05 + 0.05^2/2 + 0.05^3/6) = 841,016.666666 (Taylor, rounded down).
        assertEq(pool.nav(), 1_100_000 * USDC);
        assertEq(pool.seniorClaim(), 841_016_666_666);
        assertEq(senior.totalAssets(), 841_016_666_666);
        assertEq(junior.totalAssets(), 258_983_333_334);

        // Step 2: a 150k loss. Three 50k loans are made and go bad in the same block (floor halves); their
        // impairment takes exactly their book value (150k of principal, no interest yet) out of NAV.
        uint256[3] memory bad;
        for (uint256 i; i < 3; i++) {
            (bad[i],) = _borrow(dave, apes, 50_000 * USDC, 30 days);
        }
        _pushPrice(address(apes), FLOOR_A / 2);
        for (uint256 i; i < 3; i++) {
            vm.prank(keeper);
            liquidator.liquidate(bad[i]);
        }
        _log("step 2: 150k loss (impairment)");
        assertEq(pool.nav(), 950_000 * USDC);
        assertEq(senior.totalAssets(), 841_016_666_666, "the senior does not lose while the junior stands");
        assertEq(junior.totalAssets(), 108_983_333_334, "the junior absorbs the whole 150k");

        // Step 3: one NFT sells at the auction's floor (50k appraisal x 0.5): proceeds enter NAV, junior first
        // (the senior is whole).
        vm.warp(block.timestamp + 3 days);
        _fund(keeper, 25_000 * USDC);
        vm.prank(keeper);
        assertEq(liquidator.buy(bad[0], type(uint256).max), 25_000 * USDC);
        _log("step 3: 3 days later, one NFT sold for 25k");
        uint256 claim = pool.seniorClaim();
        // The claim stopped at 841,016.67 when the loans were repaid and impaired: nothing has been lent since, so
        // the senior earned nothing on the idle cash in these 3 days (SPEC §5.1; 841,362.35 under the old rule).
        assertEq(claim, 841_016_666_666);
        assertEq(pool.nav(), 975_000 * USDC);
        assertEq(senior.totalAssets(), claim);
        assertEq(junior.totalAssets(), 975_000 * USDC - claim);
    }

    function _log(string memory step) internal view {
        console2.log(step);
        console2.log("  NAV          ", pool.nav());
        console2.log("  senior claim ", pool.seniorClaim());
        console2.log("  senior value ", senior.totalAssets());
        console2.log("  junior value ", junior.totalAssets());
    }
}
