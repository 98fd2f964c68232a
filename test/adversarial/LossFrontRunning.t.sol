// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Loss front-running (F-2, closed by the junior notice, SPEC §5): a junior lender sees an unhealthy loan (or
///         a price crash) and tries to leave before `liquidate` impairs it. Before the notice it redeemed at once and
///         escaped its whole pro-rata share of the loss (16,666.67 USDC of a 50k loss, shifted onto the remaining
///         junior). Now a junior exit is a request served no earlier than `noticePeriod` later, at the price of
///         service, and not while the liquidation's recovery is pending (queue fairness): when keepers liquidate
///         within the notice, the front-runner bears its share. Residual: a default visible for longer than the
///         notice, with nobody liquidating, can still be escaped (measured below).
contract LossFrontRunningTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    /// @dev 800k senior (bob), 200k junior (alice), 100k junior (attacker).
    function _seed() internal override {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        _deposit(Tranche.Junior, attacker, 100_000 * USDC);
    }

    /// @dev The auction of `auctionId` bought at its end price (half the 60k appraisal: a realised loss).
    /// @dev Sells at the auction's end price, then waits out the queue cooldown the settlement starts for a line
    ///      it held (SPEC §5.7).
    function _sellAtTheEnd(uint256 auctionId) internal {
        vm.warp(liquidator.auction(auctionId).startTime + AUCTION_DURATION);
        _buy(buyer, auctionId);
        vm.warp(block.timestamp + 1 days);
    }

    function test_attack_lossFrontRun_juniorRequestsBeforeImpairment_bearsItsShare() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        assertTrue(liquidator.isLiquidatable(id));
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 attackerShares = junior.balanceOf(attacker);

        // Honest ordering: liquidated and sold, the loss split 2:1.
        uint256 snap = vm.snapshotState();
        vm.prank(keeper);
        uint256 auctionId = liquidator.liquidate(id);
        _sellAtTheEnd(auctionId);
        uint256 aliceHonest = junior.convertToAssets(aliceShares);
        uint256 attackerHonest = junior.convertToAssets(attackerShares);
        vm.revertToState(snap);

        // The front-run: no instant exit any more; the attacker's request waits out the notice.
        assertEq(junior.maxRedeem(attacker), 0, "no instant junior exit");
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, attacker, attackerShares, uint256(0)
            )
        );
        junior.redeem(attackerShares, attacker, attacker);
        vm.prank(attacker);
        uint256 req = junior.requestRedeem(attackerShares, attacker, attacker);
        assertEq(junior.claimableRedeemRequest(req, attacker), 0, "not served at the pre-loss price");
        // A keeper liquidates within the notice; the notice elapses while the auction runs: still not served.
        vm.prank(keeper);
        auctionId = liquidator.liquidate(id);
        vm.warp(block.timestamp + junior.noticePeriod());
        assertEq(junior.processQueue(1), 0, "recovery pending: the line waits");
        _sellAtTheEnd(auctionId);
        junior.processQueue(1);
        uint256 out = junior.redeemRequest(req).claimableAssets;
        uint256 left = junior.pendingRedeemRequest(req, attacker);
        // Subordination after the loss may leave part of the request in line: it is worth today's price.
        uint256 total = out + junior.convertToAssets(left);
        uint256 aliceAfter = junior.convertToAssets(aliceShares);

        uint256 loss = aliceHonest + attackerHonest < 300_000 * USDC ? 300_000 * USDC - aliceHonest - attackerHonest : 0;
        console2.log("junior loss (units)", loss);
        console2.log("front-runner paid (units)", out);
        console2.log("front-runner's honest value (units)", attackerHonest);
        assertGt(loss, 10_000 * USDC, "a real loss");
        assertGt(out, 0, "served after the settlement");
        assertLe(total, attackerHonest + 1, "the front-runner escapes nothing");
        assertApproxEqAbs(total, attackerHonest, 2, "it bears exactly its pro-rata share");
        assertGe(aliceAfter + 1, aliceHonest, "the remaining junior bears no extra loss");
    }

    /// @notice Residual risk: a default visible for longer than the notice with nobody liquidating. The attacker's
    ///         request is served after the notice at the pre-impairment price and escapes its share, as before.
    function test_attack_lossFrontRun_residual_noLiquidationWithinTheNotice() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        uint256 attackerShares = junior.balanceOf(attacker);
        vm.prank(attacker);
        uint256 req = junior.requestRedeem(attackerShares, attacker, attacker);
        vm.warp(block.timestamp + junior.noticePeriod());
        _refresh();
        uint256 value = junior.convertToAssets(attackerShares);
        uint256 room = pool.servable(Tranche.Junior);
        junior.processQueue(1);
        uint256 out = junior.redeemRequest(req).claimableAssets;
        assertEq(out, value < room ? value : room, "served at the pre-impairment price, up to the room");
        vm.prank(keeper);
        uint256 auctionId = liquidator.liquidate(id);
        _sellAtTheEnd(auctionId);
        console2.log("escaped when nobody liquidates within the notice: paid (units)", out);
        assertGt(out, 99_000 * USDC, "its whole position, before the loss");
    }

    function test_attack_lossFrontRun_boundedBySubordination() public {
        // A bigger position cannot leave whole: only the room goes out, and only by a request after the notice.
        _deposit(Tranche.Senior, bob, 400_000 * USDC); // NAV 1.5M, J 300k: room (300k - 300k) / 0.8 = 0
        assertEq(junior.maxWithdraw(attacker), 0, "no instant junior exit");
        vm.prank(attacker);
        vm.expectRevert();
        junior.withdraw(1, attacker, attacker);
        uint256 shares = junior.balanceOf(attacker);
        vm.prank(attacker);
        junior.requestRedeem(shares, attacker, attacker);
        vm.warp(block.timestamp + junior.noticePeriod());
        assertEq(pool.servable(Tranche.Junior), 0, "no room: the junior is locked at the ratio");
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
        vm.prank(keeper);
        uint256 auctionId = liquidator.liquidate(id);
        // dave repays one loan: 50k of cash, but the recovery is pending: not served at the write-down.
        _fund(dave, 0); // approvals
        vm.prank(dave);
        pool.repay(others[0], type(uint256).max);
        vm.warp(block.timestamp + junior.noticePeriod());
        assertEq(junior.processQueue(1), 0, "paused while the auction runs");
        _sellAtTheEnd(auctionId);
        uint256 priceSettled = junior.convertToAssets(1e12);
        assertLt(priceSettled, priceBefore, "the loss is realised");
        junior.processQueue(1);
        uint256 servedShares = junior.redeemRequest(req).claimableShares;
        uint256 servedAssets = junior.redeemRequest(req).claimableAssets;
        assertGt(servedAssets, 0);
        // Priced after the loss: the shares served are worth exactly the assets at the settled price.
        assertApproxEqRel(servedAssets * 1e12 / servedShares, priceSettled, 1e9, "priced after the loss");
    }
}
