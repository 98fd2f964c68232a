// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {RateIntegrity} from "../../src/interest/RateIntegrity.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The utilization that prices loans (SPEC §3 "Rate", "Rate integrity"; `RateIntegrity`): it counts only
///         cash not reserved for the redemption queue, the averages converge to the state within one window, loans
///         split in one transaction price cumulatively, the lens quotes exactly what `borrow` locks, and
///         `rateWindow` is a bounded governance parameter.
contract UtilizationPricingTest is StrataTestBase {
    uint256 internal constant P = 50_000 * USDC;
    RateCurve internal curve;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        curve = _paramsA().curve;
    }

    function _settle() internal {
        vm.warp(block.timestamp + pool.rateWindow());
        vm.roll(block.number + 1);
        _pushPrice(address(apes), FLOOR_A);
        _pushPrice(address(punks), FLOOR_B);
    }

    // ------------------------------------------------------------------ #12 part 5: the queue's cash is not lendable

    function test_utilization_excludesCashReservedForTheQueue() public {
        uint256[] memory ids = new uint256[](20);
        for (uint256 i; i < 20; i++) {
            (ids[i],) = _borrow(dave, apes, P, 30 days); // all 1M lent
        }
        // bob queues ~100k of senior; nothing to serve it with.
        uint256 shares = senior.convertToShares(100_000 * USDC);
        vm.prank(bob);
        senior.requestRedeem(shares, bob, bob);
        // One loan comes back: ~50k of cash, all of it owed to the queue.
        vm.warp(block.timestamp + 1 days);
        _fund(dave, 10_000 * USDC);
        vm.prank(dave);
        pool.repay(ids[0], type(uint256).max);
        assertGt(pool.cash(), P, "cash came back");
        assertEq(pool.availableCash(), 0, "all of it reserved");
        _settle();

        // Nothing is lendable: borrow reverts, and the curve sees U = 100 % (not 950k / 1M).
        assertEq(pool.borrowUtilization(0, 0), 1e18, "extension priced at U = 100 %");
        (uint256 tokenId) = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, 1000 * USDC, 0));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_utilization_countsOnlyAvailableCash() public {
        uint256[] memory ids = new uint256[](19);
        for (uint256 i; i < 19; i++) {
            (ids[i],) = _borrow(dave, apes, P, 30 days); // 950k lent, 50k cash
        }
        uint256 shares = senior.convertToShares(20_000 * USDC);
        vm.prank(bob);
        senior.requestRedeem(shares, bob, bob); // auto-served from the 50k: nothing pending
        (uint256 pending,) = pool.queueState(Tranche.Senior);
        assertEq(pending, 0, "served at once while cash lasts");
        // Lend the rest, queue 20k, bring 50k back: 20k of it is the queue's.
        _borrow(dave, apes, pool.availableCash(), 30 days);
        shares = senior.convertToShares(20_000 * USDC);
        vm.prank(bob);
        senior.requestRedeem(shares, bob, bob);
        vm.warp(block.timestamp + 1 days);
        _fund(dave, 10_000 * USDC);
        vm.prank(dave);
        pool.repay(ids[0], type(uint256).max);
        _settle();

        uint256 available = pool.availableCash();
        uint256 cash = pool.cash();
        assertLt(available + 19_000 * USDC, cash, "about 20k reserved");
        uint256 borrowed = pool.totalPrincipal();
        uint256 principal = 10_000 * USDC;
        uint256 expectedU = RateCurveLib.utilization(borrowed + principal, available - principal);
        uint256 rawU = RateCurveLib.utilization(borrowed + principal, cash - principal);
        assertGt(expectedU, rawU);
        (uint256 id,) = _borrow(carol, apes, principal, 30 days);
        uint256 apr = pool.loan(id).apr;
        assertApproxEqAbs(apr, RateCurveLib.apr(curve, expectedU), 10, "curve at available cash");
        assertGt(apr, RateCurveLib.apr(curve, rawU) + 0.01e18, "well above the curve at raw cash");
    }

    // ------------------------------------------------------------------ the averages

    function test_steadyState_pricesAtTheAfterLoanUtilization() public {
        for (uint256 i; i < 10; i++) {
            _borrow(dave, apes, P, 30 days);
        }
        _settle();
        // U after = 550k / 1M = 55 % -> 5 % + 10 % x 0.55 / 0.8 = 11.875 %.
        assertEq(pool.borrowUtilization(P, P), 0.55e18);
        assertEq(lens.quote(address(apes), P, 30 days).apr, 0.11875e18);
        (uint256 id,) = _borrow(carol, apes, P, 30 days);
        assertEq(pool.loan(id).apr, 0.11875e18);
    }

    function test_sameTransaction_splitLoansPriceCumulatively() public {
        _settle();
        // Ten 50k loans in one block: each sees the ones before it, as one 500k loan would.
        uint256 last;
        for (uint256 i; i < 10; i++) {
            (uint256 id,) = _borrow(dave, apes, P, 30 days);
            uint256 apr = pool.loan(id).apr;
            assertGt(apr, last, "each loan pays more than the one before");
            assertEq(apr, RateCurveLib.apr(curve, (i + 1) * 0.05e18), "curve at the cumulative utilization");
            last = apr;
        }
    }

    function test_withdrawal_raisesTheRateAtOnce_depositLowersItOverTheWindow() public {
        for (uint256 i; i < 12; i++) {
            _borrow(dave, apes, P, 30 days); // 600k lent
        }
        _settle();
        uint256 before = pool.borrowUtilization(P, P); // 650k / 1M
        assertEq(before, 0.65e18);
        // 400k of new money (the junior first, so that the senior has room): it does not count at once.
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        _deposit(Tranche.Senior, bob, 300_000 * USDC);
        assertEq(pool.borrowUtilization(P, P), before, "new cash does not count yet");
        vm.warp(block.timestamp + pool.rateWindow() / 2);
        vm.roll(block.number + 1);
        uint256 half = pool.borrowUtilization(P, P);
        uint256 full = RateCurveLib.utilization(600_000 * USDC + P, 800_000 * USDC - P);
        assertLt(half, before);
        assertGt(half, full);
        vm.warp(block.timestamp + pool.rateWindow());
        vm.roll(block.number + 1);
        assertApproxEqAbs(pool.borrowUtilization(P, P), full, 1e6, "after a window it counts fully");

        // A withdrawal raises the instant term at once (the pool's side).
        vm.prank(bob);
        senior.withdraw(200_000 * USDC, bob, bob);
        uint256 afterExit = pool.borrowUtilization(P, P);
        uint256 instant = RateCurveLib.utilization(600_000 * USDC + P, pool.availableCash() - P);
        assertEq(afterExit, instant, "the exit counts at once");
    }

    function test_quote_equalsBorrow_midWindow() public {
        for (uint256 i; i < 8; i++) {
            _borrow(dave, apes, P, 30 days);
        }
        vm.warp(block.timestamp + 3 hours);
        vm.roll(block.number + 1);
        _deposit(Tranche.Junior, alice, 300_000 * USDC);
        vm.warp(block.timestamp + 5 hours);
        vm.roll(block.number + 1);
        _pushPrice(address(apes), FLOOR_A);
        uint256 quoted = lens.quote(address(apes), 30_000 * USDC, 30 days).apr;
        (uint256 id,) = _borrow(carol, apes, 30_000 * USDC, 30 days);
        assertEq(pool.loan(id).apr, quoted, "the lens quotes exactly what borrow locks");
    }

    // ------------------------------------------------------------------ governance: rateWindow

    function test_rateWindow_defaultBoundsEventAccess() public {
        assertEq(pool.rateWindow(), RateIntegrity.DEFAULT_WINDOW);
        vm.prank(gov);
        vm.expectEmit(address(pool));
        emit IStrataPool.RateWindowSet(1 days, 6 hours);
        pool.setRateWindow(6 hours);
        assertEq(pool.rateWindow(), 6 hours);

        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("rateWindow"), 1 hours - 1, 1 hours, 7 days
            )
        );
        pool.setRateWindow(1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("rateWindow"), 7 days + 1, 1 hours, 7 days
            )
        );
        pool.setRateWindow(7 days + 1);
        pool.setRateWindow(1 hours);
        pool.setRateWindow(7 days);
        vm.stopPrank();
        assertEq(pool.rateWindow(), 7 days);

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        pool.setRateWindow(2 days);
    }
}
