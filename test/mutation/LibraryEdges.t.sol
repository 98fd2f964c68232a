// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {MathHarness} from "../harness/MathHarness.sol";
import {RateCurveHarness} from "../harness/RateCurveHarness.sol";
import {WaterfallHarness} from "../harness/WaterfallHarness.sol";

/// @notice Edges of the pure libraries found by mutation testing: the exact overflow bounds of `mulDiv`, rounding
///         direction with operands that do not divide, the zero-ratio branches of the waterfall and the curve's bounds
///         at equality. Expected values are computed here with plain arithmetic.
contract MutationLibraryEdgesTest is Test {
    MathHarness internal m;
    RateCurveHarness internal rc;
    WaterfallHarness internal wf;

    function setUp() public {
        m = new MathHarness();
        rc = new RateCurveHarness();
        wf = new WaterfallHarness();
    }

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    // ------------------------------------------------------------------ mulDiv bounds

    /// @dev `x * y = d * 2^256` exactly: the quotient is 2^256, one past the range (the high word equals `d`).
    function test_mulDiv_revertsWhenTheQuotientIsExactly2Pow256() public {
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, 1 << 128, 1 << 128, 1));
        m.mulDivDown(1 << 128, 1 << 128, 1);
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, 1 << 255, 4, 2));
        m.mulDivDown(1 << 255, 4, 2);
        assertEq(m.mulDivDown(1 << 255, 3, 2), (1 << 255) + (1 << 254), "just below: 1.5 * 2^255 fits");
    }

    /// @dev `x * 7 = 5 * (2^256 - 1) + 2`: the floor is `type(uint256).max` and the remainder non-zero, so rounding
    ///      up would need 2^256.
    function test_mulDivUp_revertsWhenRoundingUpPassesTheMax() public {
        uint256 x = 0xb6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db6db;
        assertEq(mulmod(x, 7, 5), 2);
        assertEq(m.mulDivDown(x, 7, 5), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, x, 7, 5));
        m.mulDivUp(x, 7, 5);
    }

    function test_bps_roundingBothWays() public view {
        uint256 x = 1_000_001;
        assertEq(m.bpsUp(x, 3333), _ceilDiv(x * 3333, 10_000));
        assertEq(m.bpsDown(x, 3333), x * 3333 / 10_000);
        assertEq(m.bpsUp(x, 3333), m.bpsDown(x, 3333) + 1, "inexact: up is one more");
    }

    // ------------------------------------------------------------------ waterfall

    function test_compoundClaim_roundsDown() public view {
        uint256 claim = 1_000_003e6 + 7;
        uint256 rate = 0.05e18;
        uint256 dt = 1 days + 11;
        uint256 x1 = rate * dt / 365 days;
        uint256 x2 = x1 * x1 / 2e18;
        uint256 x3 = x2 * x1 / 3e18;
        assertTrue(claim * (x1 + x2 + x3) % 1e18 != 0, "inexact");
        assertEq(wf.compoundClaimDown(claim, rate, dt), claim + claim * (x1 + x2 + x3) / 1e18);
    }

    function test_maxSeniorDeposit_zeroRatioIsUnbounded_elseRoundsDown() public view {
        assertEq(wf.maxSeniorDeposit(0, 1e12, 0), type(uint256).max, "no subordination rule at ratio 0");
        uint256 j = 1_000_001;
        assertTrue(j * 10_000 % 3000 != 0, "inexact");
        assertEq(wf.maxSeniorDeposit(j, 2_000_000, 3000), j * 10_000 / 3000 - 2_000_000);
        assertEq(wf.maxSeniorDeposit(100, 1000, 3000), 0, "already below the ratio: nothing");
    }

    function test_maxJuniorWithdraw_zeroRatio_andNonDividing() public view {
        assertEq(wf.maxJuniorWithdraw(123_457, 1_000_000, 0), 123_457, "ratio 0: all of it");
        // (J * 1e4 - r * nav) / (1e4 - r), rounded down.
        uint256 room = uint256(200_003) * 10_000 - uint256(2100) * 900_001;
        uint256 expected = room / (10_000 - 2100);
        assertTrue(room % (10_000 - 2100) != 0, "inexact");
        assertEq(wf.maxJuniorWithdraw(200_003, 900_001, 2100), expected);
    }

    /// @dev Every exit but the last lowers the claim by exactly the assets paid, whole or impaired (SPEC §5.1, A-4);
    ///      the last shares take the whole claim.
    function test_claimReduction_assetsPaid_lastTakesAll() public view {
        assertEq(wf.claimReduction(1_000_000, 166_666, 1, 3), 166_666, "impaired: the assets paid");
        assertEq(wf.claimReduction(1_000_000, 333_333, 2, 3), 333_333, "impaired: the assets paid");
        assertEq(wf.claimReduction(1_000_000, 500_000, 3, 3), 1_000_000, "the last shares take it all");
        assertEq(wf.claimReduction(1_000_000, 333_332, 1, 3), 333_332, "whole: exactly the assets");
        assertEq(wf.claimReduction(1_000_000, 1_000_000, 3, 3), 1_000_000, "whole: last exit");
        assertEq(wf.claimReduction(1_000_000, 999_999, 3, 3), 1_000_000, "whole: last exit paid less");
        assertEq(wf.claimReduction(1_000_000, 999_999, 4, 3), 1_000_000, "more shares than supply: all");
    }

    // ------------------------------------------------------------------ rate curve

    function _curve() internal pure returns (RateCurve memory) {
        return RateCurve({baseRate: 0.05e18, slope1: 0.1e18, slope2: 1e18, kink: 0.7e18});
    }

    function test_utilization_roundsUp() public view {
        assertEq(rc.utilization(1, 2), _ceilDiv(1e18, 3));
        assertEq(rc.utilization(1, 1e30), 1, "a non-zero borrow never reads as zero utilization");
    }

    function test_apr_bothSlopesRoundUp() public view {
        RateCurve memory c = _curve();
        uint256 u1 = 0.3e18 + 1;
        assertTrue(uint256(c.slope1) * u1 % c.kink != 0, "inexact below the kink");
        assertEq(rc.apr(c, u1), c.baseRate + _ceilDiv(uint256(c.slope1) * u1, c.kink));
        uint256 u2 = 0.8e18 + 1;
        uint256 num = uint256(c.slope2) * (u2 - c.kink);
        assertTrue(num % (1e18 - c.kink) != 0, "inexact above the kink");
        assertEq(rc.apr(c, u2), uint256(c.baseRate) + c.slope1 + _ceilDiv(num, 1e18 - c.kink));
    }

    function test_validate_kinkExactlyAtTheMinimum() public {
        (uint256 minKink, uint256 maxKink,,,,) = rc.bounds();
        RateCurve memory c = _curve();
        c.kink = uint64(minKink);
        rc.validate(c);
        c.kink = uint64(maxKink);
        rc.validate(c);
        c.kink = uint64(minKink - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), minKink - 1, minKink, maxKink
            )
        );
        rc.validate(c);
    }
}
