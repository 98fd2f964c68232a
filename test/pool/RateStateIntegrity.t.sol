// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The rate state across later changes (SPEC §3.6), for the survivors of the independent mutation run
///         (issue #35): the governance window survives every sync; borrows of one block price cumulatively when the
///         time-weighted term binds; `recover` integrates the utilization before its cash arrives.
contract RateStateIntegrityTest is StrataTestBase {
    uint256 internal constant P = 50_000 * USDC;
    RateCurve internal curve;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        curve = _paramsA().curve;
        for (uint256 i; i < 12; i++) {
            _borrow(dave, apes, P, 30 days); // 600k lent
        }
        vm.warp(block.timestamp + 1 days); // a whole default window: the averages are the state
        vm.roll(block.number + 1);
        _pushPrice(address(apes), FLOOR_A);
    }

    function _nextBlock(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
    }

    /// @dev #35.1: a non-default window keeps pricing after later syncs. 400k of new money counts fully after one
    ///      hour under a 1-hour window; had a sync dropped the window, the 1-day default would have moved the
    ///      average by only 2/24 of the way in the same two hours.
    function test_governanceWindow_survivesLaterSyncs() public {
        vm.prank(gov);
        pool.setRateWindow(1 hours);
        _nextBlock(1);
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        _deposit(Tranche.Senior, bob, 300_000 * USDC);
        _nextBlock(30 minutes);
        _deposit(Tranche.Senior, carol, 1000 * USDC); // another sync, mid-window
        _nextBlock(90 minutes);
        _deposit(Tranche.Junior, carol, 1000 * USDC); // and one after it
        assertEq(pool.rateWindow(), 1 hours, "the window survives every sync");
        uint256 full = RateCurveLib.utilization(600_000 * USDC + P, pool.availableCash() - P);
        assertApproxEqRel(pool.borrowUtilization(P, P), full, 0.001e18, "priced over the 1-hour window");
        assertLt(pool.borrowUtilization(P, P), 0.55e18, "far below where a 1-day window would still be (~63 %)");
    }

    /// @dev #35.2: with the time-weighted term binding (new cash not yet counted), three borrows of one block each
    ///      price against the ones before them (the `P·Ī` term), never as if alone.
    function test_sameBlockBorrows_priceCumulatively_whenTheAverageBinds() public {
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        _deposit(Tranche.Senior, bob, 300_000 * USDC);
        _nextBlock(1 hours);
        _pushPrice(address(apes), FLOOR_A);
        uint256 instant = RateCurveLib.utilization(600_000 * USDC + P, pool.availableCash() - P);
        uint256 last;
        for (uint256 i; i < 3; i++) {
            uint256 u = pool.borrowUtilization(P, P);
            assertGt(u, instant, "the time-weighted term binds");
            (uint256 id,) = _borrow(carol, apes, P, 30 days);
            uint256 apr = pool.loan(id).apr;
            assertEq(apr, RateCurveLib.apr(curve, u), "priced where the pool said");
            assertGt(apr, last, "each borrow of the block pays more than the one before");
            last = apr;
        }
    }

    /// @dev #35.3: `recover` integrates the time-weighted utilization with the state before its cash, and marks the
    ///      transaction's starting cash: in the block of a recovery the pricing utilization does not move.
    function test_recover_integratesTheRateBeforeItsCash() public {
        _nextBlock(12 hours);
        _pushPrice(address(apes), FLOOR_A);
        uint256 before = pool.borrowUtilization(P, P);
        _fund(treasury, 500_000 * USDC);
        vm.prank(treasury);
        pool.recover(500_000 * USDC);
        assertEq(pool.borrowUtilization(P, P), before, "recovered cash counts only as it stays");
        _nextBlock(1 days);
        assertLt(pool.borrowUtilization(P, P), before, "and fully after a window");
    }
}
