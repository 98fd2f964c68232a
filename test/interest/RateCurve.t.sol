// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {RateCurveHarness} from "../harness/RateCurveHarness.sol";
import {Test} from "forge-std/Test.sol";

contract RateCurveTest is Test {
    uint256 internal constant WAD = 1e18;

    RateCurveHarness internal h;

    function setUp() public {
        h = new RateCurveHarness();
    }

    /// @dev 2 % base, +4 % up to an 80 % kink, +75 % from the kink to full utilization.
    function _curve() internal pure returns (RateCurve memory) {
        return RateCurve({baseRate: 0.02e18, slope1: 0.04e18, slope2: 0.75e18, kink: 0.8e18});
    }

    /// @dev A curve within every hard bound, derived from fuzz inputs.
    function _validCurve(uint256 base, uint256 s1, uint256 s2, uint256 kink)
        internal
        pure
        returns (RateCurve memory c)
    {
        base = bound(base, 0, RateCurveLib.MAX_BASE_RATE);
        s1 = bound(s1, 0, RateCurveLib.MAX_SLOPE1);
        s2 = bound(s2, 0, FixedPointMath.min(RateCurveLib.MAX_SLOPE2, RateCurveLib.MAX_APR - base - s1));
        kink = bound(kink, RateCurveLib.MIN_KINK, RateCurveLib.MAX_KINK);
        c = RateCurve({baseRate: uint64(base), slope1: uint64(s1), slope2: uint64(s2), kink: uint64(kink)});
    }

    // ---------------------------------------------------------------- utilization, exact values

    function test_utilization_exactValues() public view {
        assertEq(h.utilization(0, 0), 0, "empty pool");
        assertEq(h.utilization(0, 1000e6), 0, "nothing borrowed");
        assertEq(h.utilization(1000e6, 0), WAD, "no cash");
        assertEq(h.utilization(50, 50), 0.5e18, "half");
        assertEq(h.utilization(1, 2), 333_333_333_333_333_334, "1/3 rounds up");
        assertEq(h.utilization(2, 1), 666_666_666_666_666_667, "2/3 rounds up");
        assertEq(h.utilization(1, 1e30), 1, "dust borrow is never zero utilization");
        assertEq(h.utilization(800e6, 200e6), 0.8e18, "80 %");
    }

    function test_utilization_revertsOnSumOverflow() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        h.utilization(type(uint256).max, 1);
    }

    // ---------------------------------------------------------------- apr, exact values

    function test_apr_exactValues() public view {
        RateCurve memory c = _curve();
        assertEq(h.apr(c, 0), 0.02e18, "U = 0 -> base");
        assertEq(h.apr(c, 0.4e18), 0.04e18, "half-way to the kink");
        assertEq(h.apr(c, 0.8e18), 0.06e18, "at the kink: base + slope1");
        assertEq(h.apr(c, 0.9e18), 0.435e18, "half-way past the kink");
        assertEq(h.apr(c, WAD), 0.81e18, "U = 1 -> base + slope1 + slope2");
        assertEq(h.apr(c, 2e18), 0.81e18, "U above 1 is capped");
        assertEq(h.apr(c, type(uint256).max), 0.81e18, "U = max is capped");
    }

    function test_apr_roundsEachDivisionUp() public view {
        RateCurve memory c = _curve();
        // 0.04e18 * 1 / 0.8e18 = 0.05 -> 1 wei
        assertEq(h.apr(c, 1), 0.02e18 + 1);
        // 0.75e18 * 1 / 0.2e18 = 3.75 -> 4 wei
        assertEq(h.apr(c, 0.8e18 + 1), 0.06e18 + 4);
        // 0.04e18 * (0.8e18 - 1) / 0.8e18 = 0.04e18 - 0.05 -> 0.04e18 (up)
        assertEq(h.apr(c, 0.8e18 - 1), 0.06e18);
        // kink 1/3: 1e17 * 1e17 / 333333333333333333 = 3.0000000000000000030...e16 -> ...001
        RateCurve memory third = RateCurve({baseRate: 0, slope1: 1e17, slope2: 0, kink: 333_333_333_333_333_333});
        assertEq(h.apr(third, 1e17), 30_000_000_000_000_001);
    }

    function test_apr_revertsOnDegenerateKink() public {
        RateCurve memory c = _curve();
        c.kink = 0;
        vm.expectRevert(abi.encodeWithSelector(RateCurveLib.DegenerateKink.selector, 0));
        h.apr(c, 0);
        c.kink = uint64(WAD);
        vm.expectRevert(abi.encodeWithSelector(RateCurveLib.DegenerateKink.selector, WAD));
        h.apr(c, WAD);
        c.kink = type(uint64).max;
        vm.expectRevert(abi.encodeWithSelector(RateCurveLib.DegenerateKink.selector, type(uint64).max));
        h.apr(c, 0.5e18);
    }

    function test_maxApr() public view {
        assertEq(h.maxApr(_curve()), 0.81e18);
    }

    // ---------------------------------------------------------------- validate

    function test_bounds_constants() public view {
        (uint256 minKink, uint256 maxKink, uint256 maxBase, uint256 maxS1, uint256 maxS2, uint256 maxApr) = h.bounds();
        assertEq(minKink, 0.01e18);
        assertEq(maxKink, 0.99e18);
        assertEq(maxBase, 1e18);
        assertEq(maxS1, 2e18);
        assertEq(maxS2, 10e18);
        assertEq(maxApr, 10e18);
    }

    function test_validate_acceptsBoundaryValues() public view {
        h.validate(_curve());
        h.validate(RateCurve({baseRate: 0, slope1: 0, slope2: 0, kink: 0.01e18}));
        h.validate(RateCurve({baseRate: 0, slope1: 0, slope2: 0, kink: 0.99e18}));
        h.validate(RateCurve({baseRate: 1e18, slope1: 2e18, slope2: 7e18, kink: 0.5e18}));
        h.validate(RateCurve({baseRate: 0, slope1: 0, slope2: 10e18, kink: 0.5e18}));
    }

    function test_validate_revertsOnKinkBelowMin() public {
        RateCurve memory c = _curve();
        c.kink = 0.01e18 - 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), 0.01e18 - 1, 0.01e18, 0.99e18
            )
        );
        h.validate(c);
        c.kink = 0;
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), 0, 0.01e18, 0.99e18)
        );
        h.validate(c);
    }

    function test_validate_revertsOnKinkAboveMax() public {
        RateCurve memory c = _curve();
        c.kink = 0.99e18 + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), 0.99e18 + 1, 0.01e18, 0.99e18
            )
        );
        h.validate(c);
        c.kink = uint64(WAD);
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), WAD, 0.01e18, 0.99e18)
        );
        h.validate(c);
    }

    function test_validate_revertsOnBaseRate() public {
        RateCurve memory c = _curve();
        c.baseRate = 1e18 + 1;
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("baseRate"), 1e18 + 1, 0, 1e18)
        );
        h.validate(c);
    }

    function test_validate_revertsOnSlope1() public {
        RateCurve memory c = _curve();
        c.slope1 = 2e18 + 1;
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("slope1"), 2e18 + 1, 0, 2e18)
        );
        h.validate(c);
    }

    function test_validate_revertsOnSlope2() public {
        RateCurve memory c = _curve();
        c.slope2 = 10e18 + 1;
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("slope2"), 10e18 + 1, 0, 10e18)
        );
        h.validate(c);
    }

    function test_validate_revertsOnMaxApr() public {
        RateCurve memory c = RateCurve({baseRate: 1e18, slope1: 2e18, slope2: 7e18 + 1, kink: 0.5e18});
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("maxApr"), 10e18 + 1, 0, 10e18)
        );
        h.validate(c);
    }

    function test_validate_reportsFirstViolation() public {
        RateCurve memory c =
            RateCurve({baseRate: type(uint64).max, slope1: type(uint64).max, slope2: type(uint64).max, kink: 0});
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), 0, 0.01e18, 0.99e18)
        );
        h.validate(c);
        c.kink = 0.5e18;
        vm.expectRevert(
            abi.encodeWithSelector(
                RateCurveLib.ParameterOutOfBounds.selector, bytes32("baseRate"), type(uint64).max, 0, 1e18
            )
        );
        h.validate(c);
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_utilization_inRangeAndRoundedUp(uint128 borrowed, uint128 cash) public view {
        uint256 u = h.utilization(borrowed, cash);
        assertLe(u, WAD, "U <= 1");
        if (borrowed == 0) {
            assertEq(u, 0);
            return;
        }
        assertGt(u, 0, "a borrow is never zero utilization");
        uint256 total = uint256(borrowed) + cash;
        // u is the least integer with u * total >= borrowed * WAD.
        assertGe(u * total, uint256(borrowed) * WAD, "not rounded down");
        assertLt((u - 1) * total, uint256(borrowed) * WAD, "rounded up by less than 1 wei");
        if (cash == 0) assertEq(u, WAD);
    }

    function testFuzz_apr_monotoneInUtilization(uint256 b, uint256 s1, uint256 s2, uint256 k, uint256 u1, uint256 u2)
        public
        view
    {
        RateCurve memory c = _validCurve(b, s1, s2, k);
        u1 = bound(u1, 0, 2 * WAD);
        u2 = bound(u2, u1, 2 * WAD);
        assertLe(h.apr(c, u1), h.apr(c, u2));
    }

    function testFuzz_apr_bounded(uint256 b, uint256 s1, uint256 s2, uint256 k, uint256 u) public view {
        RateCurve memory c = _validCurve(b, s1, s2, k);
        uint256 r = h.apr(c, u);
        uint256 top = uint256(c.baseRate) + c.slope1 + c.slope2;
        assertLe(r, top, "never above base + slope1 + slope2");
        assertGe(r, c.baseRate, "never below base");
        assertLe(top, RateCurveLib.MAX_APR);
        assertEq(h.apr(c, 0), c.baseRate, "apr(0) == base");
        assertEq(h.apr(c, WAD), top, "apr(WAD) == max");
        assertEq(h.maxApr(c), top);
    }

    function testFuzz_apr_continuousAtKink(uint256 b, uint256 s1, uint256 s2, uint256 k, uint256 dl, uint256 dr)
        public
        view
    {
        RateCurve memory c = _validCurve(b, s1, s2, k);
        uint256 kink = c.kink;
        uint256 atKink = h.apr(c, kink);
        // Both branch formulas give base + slope1 at U = kink, exactly.
        assertEq(atKink, uint256(c.baseRate) + c.slope1, "apr(kink)");

        // Left side: apr(kink) - apr(kink - d) is the exact increment slope1 * d / kink, within 1 wei (below it).
        dl = bound(dl, 1, kink);
        uint256 stepL = atKink - h.apr(c, kink - dl);
        assertEq(stepL, FixedPointMath.mulDivDown(c.slope1, dl, kink));
        assertLe(stepL * kink, uint256(c.slope1) * dl);
        assertGt((stepL + 1) * kink, uint256(c.slope1) * dl);

        // Right side: apr(kink + d) - apr(kink) is slope2 * d / (WAD - kink), within 1 wei (above it).
        dr = bound(dr, 1, WAD - kink);
        uint256 stepR = h.apr(c, kink + dr) - atKink;
        assertEq(stepR, FixedPointMath.mulDivUp(c.slope2, dr, WAD - kink));
        assertGe(stepR * (WAD - kink), uint256(c.slope2) * dr);
        assertLt(stepR * (WAD - kink), uint256(c.slope2) * dr + (WAD - kink));
    }

    function testFuzz_validate_acceptsExactlyTheBounds(uint64 b, uint64 s1, uint64 s2, uint64 k) public {
        RateCurve memory c = RateCurve({baseRate: b, slope1: s1, slope2: s2, kink: k});
        bool inBounds = k >= RateCurveLib.MIN_KINK && k <= RateCurveLib.MAX_KINK && b <= RateCurveLib.MAX_BASE_RATE
            && s1 <= RateCurveLib.MAX_SLOPE1 && s2 <= RateCurveLib.MAX_SLOPE2
            && uint256(b) + s1 + s2 <= RateCurveLib.MAX_APR;
        if (!inBounds) vm.expectRevert();
        h.validate(c);
    }

    function testFuzz_validate_acceptsGeneratedCurves(uint256 b, uint256 s1, uint256 s2, uint256 k) public view {
        h.validate(_validCurve(b, s1, s2, k));
    }
}
