// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {MathHarness} from "../harness/MathHarness.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Test} from "forge-std/Test.sol";

contract FixedPointMathTest is Test {
    MathHarness internal m;

    function setUp() public {
        m = new MathHarness();
    }

    function test_mulDiv_roundingDirection() public view {
        assertEq(m.mulDivDown(10, 10, 3), 33);
        assertEq(m.mulDivUp(10, 10, 3), 34);
        assertEq(m.mulDivDown(9, 10, 3), 30);
        assertEq(m.mulDivUp(9, 10, 3), 30);
        assertEq(m.mulDivUp(0, 10, 3), 0);
    }

    function test_mulDiv_fullPrecision() public view {
        uint256 max = type(uint256).max;
        assertEq(m.mulDivDown(max, max, max), max);
        assertEq(m.mulDivDown(max, 2, 4), max / 2);
        assertEq(m.mulDivUp(max, 2, 4), max / 2 + 1);
    }

    function test_mulDiv_revertsOnZeroDivisor() public {
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, 1, 1, 0));
        m.mulDivDown(1, 1, 0);
    }

    function test_mulDiv_revertsOnOverflow() public {
        uint256 max = type(uint256).max;
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, max, 2, 1));
        m.mulDivDown(max, 2, 1);
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, max, max, max - 1));
        m.mulDivUp(max, max, max - 1);
    }

    function test_bps() public view {
        assertEq(m.bpsDown(1_000_001, 5000), 500_000);
        assertEq(m.bpsUp(1_000_001, 5000), 500_001);
    }

    function test_taylor_oneYearAtFivePercent() public view {
        // e^0.05 - 1 = 0.051271096...; third-order Taylor: 0.05 + 0.00125 + 0.0000208333... = 0.0512708333...
        assertEq(m.wTaylorCompoundedDown(0.05e18, 365 days), 51_270_833_333_333_333);
        assertEq(m.wTaylorCompoundedDown(0.05e18, 0), 0);
        assertEq(m.wTaylorCompoundedDown(0, 365 days), 0);
    }

    function testFuzz_mulDivDown_matchesOpenZeppelin(uint256 x, uint256 y, uint256 d) public view {
        d = bound(d, 1, type(uint256).max);
        (bool ok, uint256 hi) = _fits(x, y, d);
        vm.assume(ok);
        assertEq(m.mulDivDown(x, y, d), hi);
        assertEq(m.mulDivUp(x, y, d), Math.mulDiv(x, y, d, Math.Rounding.Ceil));
    }

    function testFuzz_upMinusDownIsAtMostOne(uint128 x, uint128 y, uint128 d) public view {
        vm.assume(d > 0);
        uint256 down = m.mulDivDown(x, y, d);
        uint256 up = m.mulDivUp(x, y, d);
        assertLe(up - down, 1);
        assertEq(up == down, mulmod(x, y, d) == 0);
    }

    function testFuzz_taylorUnderestimatesAndIsMonotone(uint256 rate, uint256 dt) public view {
        rate = bound(rate, 0, 1e18); // up to 100 % APR
        dt = bound(dt, 0, 10 * 365 days);
        uint256 g = m.wTaylorCompoundedDown(rate, dt);
        uint256 linear = rate * dt / 365 days;
        assertGe(g, linear, "at least simple interest");
        assertGe(m.wTaylorCompoundedDown(rate, dt + 1), g, "monotone in time");
    }

    function _fits(uint256 x, uint256 y, uint256 d) private pure returns (bool, uint256) {
        (uint256 hi,) = _mul512(x, y);
        if (hi >= d) return (false, 0);
        return (true, Math.mulDiv(x, y, d));
    }

    function _mul512(uint256 x, uint256 y) private pure returns (uint256 hi, uint256 lo) {
        assembly {
            let mm := mulmod(x, y, not(0))
            lo := mul(x, y)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
    }
}
