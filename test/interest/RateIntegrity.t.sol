// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test, console2} from "forge-std/Test.sol";

import {RateCurveLib} from "../../src/interest/RateCurve.sol";
import {RateIntegrity, RateState} from "../../src/interest/RateIntegrity.sol";
import {RateIntegrityHarness} from "../harness/RateIntegrityHarness.sol";

/// @notice `RateIntegrity` on its own: the averages' step, the packed slot, the transaction mark, the pricing terms
///         and the bound of docs/ACCOUNTING.md "Rate integrity".
contract RateIntegrityTest is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant W = 1 days;
    RateIntegrityHarness internal h;

    function setUp() public {
        vm.warp(1_700_000_000);
        h = new RateIntegrityHarness();
    }

    function _next(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
    }

    function test_firstSync_takesTheStateExactly_andPacksOneSlot() public {
        h.sync(900_000e6, 100_000e6);
        RateState memory s = h.state();
        assertEq(s.utilizationAvg, 0.9e18);
        assertEq(s.inverseTotalAvg, 1e24); // 1e36 / 1e12
        assertEq(s.updatedAt, block.timestamp);
        assertEq(s.window, 0, "default window stays unset");
        // Same timestamp: nothing is integrated, whatever the state now.
        h.sync(0, 10_000_000e6);
        assertEq(h.state().utilizationAvg, 0.9e18);
    }

    function test_step_isLinearInTime_andReachesTheStateAfterOneWindow() public {
        h.sync(900_000e6, 100_000e6); // U = 90 %
        _next(W / 4);
        (uint256 u,) = h.current(0, 1_000_000e6); // U = 0 held for a quarter window
        assertEq(u, 0.675e18);
        _next(0);
        h.sync(0, 1_000_000e6);
        _next(W);
        (u,) = h.current(500_000e6, 500_000e6);
        assertEq(u, 0.5e18, "a whole window: the state exactly");
    }

    function test_txStartCash_marksTheFirstChangeOfTheTransaction() public {
        assertEq(h.txStartCash(123), 123, "no change yet: the current cash");
        h.sync(0, 100e6);
        assertEq(h.txStartCash(10_000e6), 100e6, "later cash in the same transaction does not count");
        h.sync(0, 10_000e6);
        assertEq(h.txStartCash(10_000e6), 100e6, "the mark is set once");
        vm.roll(block.number + 1);
        assertEq(h.txStartCash(10_000e6), 10_000e6, "another block: stale mark ignored");
    }

    function test_pricing_steadyStateEqualsTheInstantTerm() public view {
        // P = 900k, C = 100k, a 50k loan with a 1 % fee.
        uint256 p = 900_000e6;
        uint256 c = 100_000e6;
        uint256 u = RateCurveLib.utilization(p, c);
        uint256 inv = h.inverseTotal(p + c);
        uint256 priced = h.pricing(u, inv, c, p, c, 50_000e6, 49_500e6);
        assertEq(priced, RateCurveLib.utilization(p + 50_000e6, c - 49_500e6));
        assertEq(h.pricing(u, inv, c, p, c, 0, 0), 0.9e18, "extension: the current utilization");
    }

    function test_pricing_cashOfThisTransactionDoesNotCount() public view {
        uint256 u = 0.9e18;
        uint256 inv = 1e24;
        // 10M arrived in this transaction: the instant term uses the 100k of its start, the averaged one is unmoved.
        uint256 priced = h.pricing(u, inv, 100_000e6, 900_000e6, 10_100_000e6, 50_000e6, 50_000e6);
        assertEq(priced, 0.95e18);
        // The inverse of any total fits its 128-bit field: no saturation, even for a 1-unit pool.
        assertEq(h.inverseTotal(1), 1e36);
        assertEq(h.inverseTotal(0), 0, "empty pool");
        // More cash out than was there at the start: fully utilized.
        assertEq(h.pricing(0, 0, 10e6, 0, 1000e6, 50e6, 50e6), WAD);
    }

    struct Case {
        uint256 principal;
        uint256 cash;
        uint256 extra;
        uint256 held;
        uint256 loan;
    }

    /// @dev Liquidity of any size held a fraction f of the window: both averages and the averaged term stay above
    ///      (1 - f) of their honest values.
    function testFuzz_bound_heldLiquidityMovesTheAveragesByAtMostItsTimeFraction(
        uint256 principal,
        uint256 cash,
        uint256 extra,
        uint256 held,
        uint256 loan
    ) public {
        Case memory c;
        c.principal = bound(principal, 1e6, 1e30);
        c.cash = bound(cash, 0, 1e30);
        c.extra = bound(extra, 0, 1e32);
        c.held = bound(held, 0, W);
        c.loan = bound(loan, 0, c.cash);
        _checkBound(c);
    }

    function _checkBound(Case memory c) internal {
        h.sync(c.principal, c.cash);
        _next(W);
        // The liquidity arrives: the pool syncs first, with the state that held until now (converged to it).
        h.sync(c.principal, c.cash);
        _next(c.held);
        (uint256 uA, uint256 invA) = h.current(c.principal, c.cash + c.extra);
        uint256 uH = RateCurveLib.utilization(c.principal, c.cash);
        uint256 invH = h.inverseTotal(c.principal + c.cash);
        assertGe(uA * W + W, uH * (W - c.held), "utilization average");
        assertGe(invA * W + W, invH * (W - c.held), "inverse average");
        uint256 honest = h.pricing(uH, invH, c.cash, c.principal, c.cash, c.loan, c.loan);
        uint256 attacked = h.pricing(uA, invA, c.cash + c.extra, c.principal, c.cash + c.extra, c.loan, c.loan);
        assertGe(attacked * W + 2 * W, honest * (W - c.held), "pricing utilization");
        assertLe(attacked, honest + 1, "extra liquidity never raises it");
    }

    function test_gas_sync() public {
        h.sync(900_000e6, 100_000e6);
        _next(1 hours);
        uint256 newTimestamp = h.syncGas(950_000e6, 50_000e6);
        uint256 sameTimestamp = h.syncGas(950_000e6, 40_000e6);
        console2.log("sync, first of a timestamp (warm slot)", newTimestamp);
        console2.log("sync, same timestamp (warm slot)", sameTimestamp);
        assertLt(newTimestamp, 6000);
        assertLt(sameTimestamp, 1000);
    }
}
