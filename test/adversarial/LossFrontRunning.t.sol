// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Loss front-running: a junior lender sees an unhealthy loan (or a price crash) and exits before
///         `liquidate` impairs it. Measured: it escapes its whole pro-rata share of the loss, bounded by the
///         subordination room `(J - r NAV) / (1 - r)` and by available cash; a queued exit is served at the price of
///         service (after the impairment) and escapes nothing.
contract LossFrontRunningTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    /// @dev 800k senior (bob), 200k junior (alice), 100k junior (attacker).
    function _seed() internal override {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        _deposit(Tranche.Junior, attacker, 100_000 * USDC);
    }

    function test_attack_lossFrontRun_juniorExitsBeforeImpairment() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        assertTrue(liquidator.isLiquidatable(id));
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 attackerShares = junior.balanceOf(attacker);

        // Honest ordering: liquidated first, the 50k loss split 2:1.
        uint256 snap = vm.snapshotState();
        _liquidate(id);
        uint256 aliceHonest = junior.previewRedeem(aliceShares);
        uint256 attackerHonest = junior.previewRedeem(attackerShares);
        vm.revertToState(snap);

        // Front-run: the room is (300k - 20 % x 1.1M) / 0.8 = 100k, exactly the attacker's position.
        assertEq(pool.maxWithdraw(Tranche.Junior), 100_000 * USDC);
        uint256 max = junior.maxRedeem(attacker);
        vm.prank(attacker);
        uint256 out = junior.redeem(max, attacker, attacker);
        _liquidate(id);
        uint256 aliceAfter = junior.previewRedeem(aliceShares);

        uint256 escaped = out - attackerHonest;
        uint256 aliceExtraLoss = aliceHonest - aliceAfter;
        console2.log("front-runner escapes (units)", escaped);
        console2.log("alice's extra loss (units)", aliceExtraLoss);
        assertApproxEqAbs(out, 100_000 * USDC, 1, "attacker exits whole");
        assertApproxEqAbs(escaped, uint256(50_000 * USDC) / 3, 2, "its 1/3 share of the 50k loss");
        assertApproxEqAbs(aliceExtraLoss, escaped, 2, "shifted onto the remaining junior");
        assertApproxEqAbs(aliceAfter, 150_000 * USDC, 1, "alice bears the whole 50k");
    }

    function test_attack_lossFrontRun_boundedBySubordination() public {
        // A bigger position cannot leave whole: only the room goes out at once.
        _deposit(Tranche.Senior, bob, 400_000 * USDC); // NAV 1.5M, J 300k: room (300k - 300k) / 0.8 = 0
        assertEq(junior.maxWithdraw(attacker), 0, "no room: the junior is locked at the ratio");
        vm.prank(attacker);
        vm.expectRevert();
        junior.withdraw(1, attacker, attacker);
    }

    function test_attack_lossFrontRun_queuedExitBearsTheLoss() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        // Lend out the rest: 21 loans of 50k leave no cash.
        uint256[] memory others = new uint256[](21);
        for (uint256 i; i < 21; ++i) {
            (others[i],) = _borrow(dave, apes, PRINCIPAL, 30 days);
        }
        assertEq(pool.cash(), 0);
        _crashTo(address(apes), 60_000 * USDC);
        uint256 shares = junior.balanceOf(attacker);
        vm.prank(attacker);
        uint256 req = junior.requestRedeem(shares, attacker, attacker);
        assertEq(junior.redeemRequest(req).claimableShares, 0, "no cash: waits");
        uint256 priceBefore = junior.convertToAssets(1e12);
        _liquidate(id);
        uint256 priceAfter = junior.convertToAssets(1e12);
        assertLt(priceAfter, priceBefore);
        // dave repays one loan (no time elapsed): 50k of cash, served at today's price.
        _fund(dave, 0); // approvals
        vm.prank(dave);
        pool.repay(others[0], type(uint256).max);
        junior.processQueue(1);
        uint256 servedShares = junior.redeemRequest(req).claimableShares;
        uint256 servedAssets = junior.redeemRequest(req).claimableAssets;
        assertEq(servedAssets, 50_000 * USDC, "room after the loss: (250k - 210k) / 0.8");
        // At the pre-loss price 50k would cost half of the position; at the post-loss price it costs 60 %.
        assertApproxEqAbs(servedShares, shares * 6 / 10, 1e6, "priced after the impairment");
    }
}
