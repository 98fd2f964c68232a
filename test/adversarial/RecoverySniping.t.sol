// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Recovery sniping: impairment writes a liquidated loan off at once and auction proceeds enter NAV when
///         they arrive, so the junior price between the two understates what the junior will get. A depositor who
///         enters in that window takes its pro-rata share of the recovery (it buys at the written-down price).
///         Measured here. A junior at exactly zero with shares outstanding refuses deposits; a junior at 1 USDC does
///         not, and a newcomer then takes almost all of the recovery (see docs/SECURITY.md, finding F-1).
contract RecoverySnipingTest is LiquidationBase {
    address internal sniper = makeAddr("sniper");

    function _seed() internal override {} // each test seeds its own tranches

    function test_attack_recoverySniping_juniorDepositBeforeSettlement_takesProRataShare() public {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        assertEq(junior.totalAssets(), 150_000 * USDC, "200k - 50k impaired");
        uint256 aliceShares = junior.balanceOf(alice);

        uint256 snap = vm.snapshotState();
        _buy(buyer, id);
        uint256 aliceNoSniper = junior.previewRedeem(aliceShares);
        vm.revertToState(snap);

        uint256 s = _deposit(Tranche.Junior, sniper, 150_000 * USDC);
        uint256 price = _buy(buyer, id);
        uint256 recovery = PRINCIPAL + _bpsUp(PRINCIPAL, PENALTY_A_BPS); // debt + penalty, price 90k covers it
        assertEq(price, 90_000 * USDC);
        uint256 sniperOut = junior.previewRedeem(s);
        uint256 gain = sniperOut - 150_000 * USDC;
        console2.log("sniper gain on 150k (units)", gain);
        console2.log("alice's recovery lost to the sniper (units)", aliceNoSniper - junior.previewRedeem(aliceShares));
        assertApproxEqAbs(gain, recovery / 2, 2, "half of the 52.5k recovery: its pro-rata share, no more");
        assertApproxEqAbs(aliceNoSniper - junior.previewRedeem(aliceShares), recovery / 2, 2);
    }

    function test_attack_recoverySniping_wipedOutJunior_depositRefused() public {
        _deposit(Tranche.Junior, alice, 50_000 * USDC);
        _deposit(Tranche.Senior, bob, 200_000 * USDC);
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        assertEq(junior.totalAssets(), 0, "wiped out, shares outstanding");
        assertEq(junior.maxDeposit(sniper), 0);
        _fund(sniper, 1000 * USDC);
        vm.prank(sniper);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 1000 * USDC, 0));
        junior.deposit(1000 * USDC, sniper);
    }

    /// @dev F-1 (design limit): the refusal rule is a cliff at exactly zero. One USDC of junior value left, a 1,000
    ///      USDC deposit buys 99.9 % of the junior and takes 99.9 % of the 52.5k recovery owed to the old junior.
    function test_attack_recoverySniping_nearlyWipedOutJunior_capturesAlmostAll() public {
        _deposit(Tranche.Junior, alice, 50_001 * USDC);
        _deposit(Tranche.Senior, bob, 200_000 * USDC);
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        assertEq(junior.totalAssets(), 1 * USDC, "1 USDC left");
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 s = _deposit(Tranche.Junior, sniper, 1000 * USDC);
        _buy(buyer, id);
        uint256 sniperOut = junior.previewRedeem(s);
        uint256 aliceOut = junior.previewRedeem(aliceShares);
        console2.log("near-zero junior: sniper gets for 1,000 USDC (units)", sniperOut);
        console2.log("near-zero junior: alice gets (units)", aliceOut);
        assertGt(sniperOut, 53_400 * USDC, "~53.45k back for 1k in");
        assertLt(aliceOut, 54 * USDC, "~53 USDC of the 52.5k recovery left to alice");
    }
}
