// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice A-2 (medium, fixed): the junior notice was bypassed with a request held by one's own liquidation. The
///         attacker queued his whole junior position while his own loan in liquidation held the line; the notice
///         elapsed but nobody could serve him. When another borrower's loans turned unhealthy, in that same block and
///         before anyone liquidated them, he redeemed his own auction (ending the hold) and served his request at the
///         pre-loss price: the loss he escaped landed on the other juniors. Now the end of a hold starts a cooldown
///         (`queueCooldown`, SPEC §5.7) before the held line is served again, in which keepers liquidate the new
///         unhealthy loans first; no party picks the block in which its own request becomes servable.
contract NoticeBypassByOwnHoldTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");
    uint256 internal constant PUNK_LOANS = 5;
    uint256 internal constant PUNK_PRINCIPAL = 16_000 * USDC; // 40 % of the 40k punks floor

    uint256 internal ownLoan;
    uint256[] internal punkLoans;
    uint256 internal requestId;
    uint256 internal attackerShares;

    /// @dev 200k junior (alice) + 100k junior (attacker), 900k senior (bob).
    function _seed() internal override {
        _deposit(Tranche.Junior, attacker, 100_000 * USDC);
        _seedLiquidity(900_000 * USDC, 200_000 * USDC);
    }

    /// @dev The attacker's own 50k apes loan goes overdue and into liquidation (a material hold), he queues his whole
    ///      junior position, the notice elapses, then the punks floor halves: carol's five punk loans are unhealthy,
    ///      nobody has liquidated them yet.
    function _setUpHold() internal {
        (ownLoan,) = _borrow(attacker, apes, PRINCIPAL, 7 days);
        for (uint256 i; i < PUNK_LOANS; ++i) {
            (uint256 id,) = _borrow(carol, punks, PUNK_PRINCIPAL, 30 days);
            punkLoans.push(id);
        }
        _overdue(ownLoan);
        _refresh();
        vm.prank(attacker);
        liquidator.liquidate(ownLoan);
        attackerShares = junior.balanceOf(attacker);
        vm.prank(attacker);
        requestId = junior.requestRedeem(attackerShares, attacker, attacker);
        vm.warp(block.timestamp + junior.noticePeriod() + 1);
        _refresh();
        assertEq(junior.processQueue(10), 0, "held by his own liquidation");
        _crashTo(address(punks), 20_000 * USDC);
        assertTrue(liquidator.isLiquidatable(punkLoans[0]), "carol's loans are unhealthy");
    }

    function test_attack_noticeBypass_endingOwnHold_doesNotServeInTheSameBlock() public {
        _setUpHold();

        // Same block: he redeems his own auction (ending the hold) and serves his request.
        uint256 owed = liquidator.auction(ownLoan).owed;
        _fund(attacker, owed);
        vm.prank(attacker);
        liquidator.redeem(ownLoan);
        // What serving him now would pay: his position before carol's loss is booked.
        uint256 preLoss = junior.convertToAssets(attackerShares);
        (bool held, uint256 servableAfter,,) = pool.queueHold(Tranche.Junior);
        assertFalse(held, "the hold has ended");
        assertEq(servableAfter, block.timestamp + 1 days, "but the line cools down first");
        vm.prank(attacker);
        assertEq(junior.processQueue(10), 0, "not served in the block that ended the hold");
        assertEq(junior.claimableRedeemRequest(requestId, attacker), 0);
        assertEq(pool.servable(Tranche.Junior), 0);

        // Keepers liquidate carol's unhealthy loans within the cooldown: the line is held again, by them.
        for (uint256 i; i < PUNK_LOANS; ++i) {
            _liquidate(punkLoans[i]);
        }
        vm.warp(servableAfter);
        assertEq(junior.processQueue(10), 0, "held by the new liquidations");
        // They sell at the end price (10k each): the loss is realised, then the attacker is served, bearing his share.
        vm.warp(block.timestamp + AUCTION_DURATION);
        for (uint256 i; i < PUNK_LOANS; ++i) {
            _buy(buyer, punkLoans[i]);
        }
        assertEq(junior.processQueue(10), 0, "the settlement that ended this hold starts another cooldown");
        vm.warp(block.timestamp + 1 days);
        assertEq(junior.processQueue(10), 1, "served after the cooldown");
        // Served at the post-loss price (in part: subordination after the loss); the rest waits at that price.
        uint256 paid = junior.redeemRequest(requestId).claimableAssets;
        uint256 total = paid + junior.convertToAssets(junior.pendingRedeemRequest(requestId, attacker));
        console2.log("attacker's position before the loss (units)", preLoss);
        console2.log("attacker's position after: paid + still queued (units)", paid, total - paid);
        assertGt(paid, 0);
        assertLt(total, preLoss - 9000 * USDC, "he bears his third of the ~30k junior loss");
    }

    /// @dev A junior deposit that dilutes a hold below the threshold also starts the cooldown (the same block cannot
    ///      serve a request the hold kept).
    function test_attack_noticeBypass_dilutingDeposit_startsTheCooldown() public {
        _setUpHold();
        assertEq(junior.processQueue(10), 0);
        // 50k in liquidation against ~300k of junior at book: a 5M junior deposit takes it below 1 %.
        _fund(attacker, 5_000_000 * USDC);
        vm.prank(attacker);
        junior.deposit(5_000_000 * USDC, attacker);
        (bool held, uint256 servableAfter,,) = pool.queueHold(Tranche.Junior);
        assertFalse(held, "diluted below the threshold");
        assertEq(servableAfter, block.timestamp + 1 days, "cooldown started");
        assertEq(junior.processQueue(10), 0, "not in the same block");
    }

    /// @dev The cooldown follows only a hold that had requests waiting: a settlement with an empty line delays nobody.
    function test_settlementWithoutWaitingRequests_startsNoCooldown() public {
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _overdue(id);
        _liquidate(id);
        (bool held,,,) = pool.queueHold(Tranche.Junior);
        assertTrue(held, "material, but nobody waits");
        _buy(buyer, id);
        (, uint256 servableAfter,,) = pool.queueHold(Tranche.Junior);
        assertEq(servableAfter, 0, "no cooldown");
    }
}
