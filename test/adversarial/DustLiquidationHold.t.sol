// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice A-1 (high, fixed): a 1-unit loan in liquidation froze the junior line. Queue fairness held a tranche's line
///         while any loan was in liquidation, whatever its size: a borrower kept one dust loan in liquidation at all
///         times (liquidating the next while redeeming the last) and a 99k junior request waited 20 days with 1.2M of
///         idle cash, for 34 units. Now a line is held only while the pending recoveries exceed `holdThresholdBps`
///         (1 %) of the tranche's value at book (SPEC §5.7, `QueueHold`).
contract DustLiquidationHoldTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    /// @dev 500k junior (alice), 700k senior (bob): 1.2M idle, 325k of junior subordination room.
    function _seed() internal override {
        _seedLiquidity(700_000 * USDC, 500_000 * USDC);
    }

    function test_attack_dustLiquidation_cannotHoldTheJuniorLine() public {
        uint256[] memory loans = new uint256[](6);
        for (uint256 i; i < 6; ++i) {
            (loans[i],) = _borrow(attacker, apes, 1, 7 days);
        }
        uint256 shares = junior.convertToShares(99_449_950_000);
        vm.prank(alice);
        uint256 requestId = junior.requestRedeem(shares, alice, alice);
        uint256 notBefore = junior.serviceableAt(requestId);

        // The attacker keeps one dust loan in liquidation every day: he liquidates the next one himself and redeems
        // the previous auction as its borrower.
        _overdue(loans[0]);
        _refresh();
        uint256 cost;
        uint256 servedOnDay = type(uint256).max;
        uint256 valueAtService;
        for (uint256 day; day < 6; ++day) {
            vm.prank(attacker);
            liquidator.liquidate(loans[day]);
            if (day > 0) {
                uint256 owed = liquidator.auction(loans[day - 1]).owed;
                _fund(attacker, owed);
                cost += owed;
                vm.prank(attacker);
                liquidator.redeem(loans[day - 1]);
            }
            (bool held,,,) = pool.queueHold(Tranche.Junior);
            assertFalse(held, "a dust loan holds nothing");
            uint256 value = junior.convertToAssets(shares);
            if (block.timestamp >= notBefore && junior.processQueue(10) != 0 && servedOnDay == type(uint256).max) {
                servedOnDay = day;
                valueAtService = value;
            }
            vm.warp(block.timestamp + 1 days);
        }
        console2.log("attacker spent (units)", cost);
        assertLe(servedOnDay, 1, "served as soon as the notice elapsed");
        assertEq(junior.pendingRedeemRequest(requestId, alice), 0, "served in full");
        assertEq(junior.claimableRedeemRequest(requestId, alice), shares, "all of it");
        // Served at the realised price of the moment: its value then, less nothing but rounding.
        assertApproxEqAbs(junior.redeemRequest(requestId).claimableAssets, valueAtService, 1, "at its value");
        assertGt(valueAtService, 99_000 * USDC, "about what was asked (the senior claim accrued meanwhile)");
    }

    /// @dev A material liquidation still holds the line (SPEC §5.7): a 50k loan against a 500k junior is ~10 % of it.
    function test_materialLiquidation_stillHoldsTheLine() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        uint256 shares = junior.balanceOf(alice) / 4;
        vm.prank(alice);
        uint256 requestId = junior.requestRedeem(shares, alice, alice);
        _overdue(id);
        _liquidate(id);
        (bool held,,,) = pool.queueHold(Tranche.Junior);
        assertTrue(held, "held by a material liquidation");
        assertEq(junior.processQueue(10), 0, "not served while held");
        assertGt(junior.pendingRedeemRequest(requestId, alice), 0);
    }

    /// @dev The threshold is governance's, bounded (SPEC §8.2), emitted old and new.
    function test_setQueueHold_bounded_governanceOnly_emits() public {
        (,, uint256 bps, uint256 cooldown) = pool.queueHold(Tranche.Junior);
        assertEq(bps, 100);
        assertEq(cooldown, 1 days);
        vm.expectEmit(address(pool));
        emit IStrataPool.QueueHoldSet(100, 500, 1 days, 6 hours);
        vm.prank(gov);
        pool.setQueueHold(500, 6 hours);
        (,, bps, cooldown) = pool.queueHold(Tranche.Junior);
        assertEq(bps, 500);
        assertEq(cooldown, 6 hours);
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("queueHoldThresholdBps"), 0, 1, 1000
            )
        );
        pool.setQueueHold(0, 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("queueHoldThresholdBps"), 1001, 1, 1000
            )
        );
        pool.setQueueHold(1001, 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("queueCooldown"), 3599, 1 hours, 7 days
            )
        );
        pool.setQueueHold(100, 1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("queueCooldown"), 7 days + 1, 1 hours, 7 days
            )
        );
        pool.setQueueHold(100, 7 days + 1);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, alice));
        vm.prank(alice);
        pool.setQueueHold(100, 1 days);
    }

    /// @dev The threshold is strict (SPEC §5.7): pending recoveries of exactly `holdThresholdBps` of the tranche at
    ///      book hold nothing; one unit more holds the line. All in one timestamp, so the figures are exact: NAV at
    ///      book 1.2M, the senior's claim 700k, the junior at book 500k; 1 % of it is 5,000.
    function test_holdThreshold_isStrict() public {
        (uint256 a,) = _borrow(carol, apes, 5000 * USDC, 30 days);
        (uint256 b,) = _borrow(dave, apes, 5000 * USDC + 1, 30 days);
        _crashTo(address(apes), 7000 * USDC); // both unhealthy: 5,000 > 70 % of 7,000
        uint256 snap = vm.snapshotState();
        _liquidate(a);
        (bool held,,,) = pool.queueHold(Tranche.Junior);
        assertFalse(held, "exactly 1 % holds nothing");
        vm.revertToState(snap);
        _liquidate(b);
        (held,,,) = pool.queueHold(Tranche.Junior);
        assertTrue(held, "one unit more holds the line");
    }

    /// @dev A material liquidation the junior absorbs holds the junior line only: the senior is whole at its realised
    ///      value, so a senior request is served at once (each line is measured by its own tranche's gap).
    function test_materialLiquidation_holdsTheJuniorLineOnly() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _overdue(id);
        _liquidate(id);
        (bool juniorHeld,,,) = pool.queueHold(Tranche.Junior);
        (bool seniorHeld,,,) = pool.queueHold(Tranche.Senior);
        assertTrue(juniorHeld);
        assertFalse(seniorHeld, "the senior loses nothing: its line is open");
        uint256 shares = senior.balanceOf(bob) / 10;
        vm.prank(bob);
        uint256 req = senior.requestRedeem(shares, bob, bob);
        assertEq(senior.pendingRedeemRequest(req, bob), 0, "served at once by the request's own service");
    }

    /// @dev Griefing the cooldown (SPEC §5.7): a 1-unit junior deposit made while the line is held restarts its
    ///      cooldown, but a hold ends only with a settlement, which restarts it anyway, and a deposit after the hold
    ///      ended finds nothing held. So one-unit deposits every few hours, during the hold and after it, delay the
    ///      line by not one second past the last settlement plus the cooldown. Cost: the deposits (kept, at their value).
    function test_attack_cooldownGriefing_byDustJuniorDeposits_delaysNothing() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        uint256 shares = junior.balanceOf(alice) / 10;
        vm.prank(alice);
        uint256 req = junior.requestRedeem(shares, alice, alice);
        _overdue(id);
        _liquidate(id);
        address griefer = makeAddr("griefer");
        for (uint256 i; i < 8; ++i) {
            vm.warp(block.timestamp + 6 hours);
            _deposit(Tranche.Junior, griefer, 1 * USDC);
        }
        (bool held,,,) = pool.queueHold(Tranche.Junior);
        assertTrue(held, "still held by the auction");
        _refresh();
        _buy(buyer, id);
        uint256 settledAt = block.timestamp;
        for (uint256 i; i < 3; ++i) {
            vm.warp(block.timestamp + 6 hours);
            _deposit(Tranche.Junior, griefer, 1 * USDC);
        }
        (, uint256 servableAfter,,) = pool.queueHold(Tranche.Junior);
        assertEq(servableAfter, settledAt + 1 days, "deposits after the hold restart nothing");
        vm.warp(servableAfter);
        assertEq(junior.processQueue(10), 1, "served one cooldown after the settlement");
        assertGt(junior.claimableRedeemRequest(req, alice), 0);
    }
}
