// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Recovery sniping: impairment writes a liquidated loan off at once and auction proceeds enter NAV when
///         they arrive, so the realised junior price between the two understates what the junior will get. Deposits
///         are therefore priced with the loans in liquidation counted at book value (`trancheDepositValue`): a
///         newcomer pays for the pending recovery, and takes a pro-rata share only of what the auction brings above
///         book (the penalty). A junior at exactly zero with shares outstanding refuses deposits (docs/SECURITY.md,
///         finding F-1, fixed).
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
        uint256 aliceNoSniper = junior.convertToAssets(aliceShares);
        vm.revertToState(snap);

        // The deposit is priced at 150k realised + 50k book = 200k: the sniper buys 150/350 of the junior.
        assertEq(pool.trancheDepositValue(Tranche.Junior), 200_000 * USDC);
        uint256 s = _deposit(Tranche.Junior, sniper, 150_000 * USDC);
        uint256 price = _buy(buyer, id);
        uint256 recovery = PRINCIPAL + _bpsUp(PRINCIPAL, PENALTY_A_BPS); // debt + penalty, price 90k covers it
        assertEq(price, 90_000 * USDC);
        uint256 aboveBook = recovery - PRINCIPAL; // the 2.5k penalty: the only part a newcomer shares in
        uint256 sniperOut = junior.convertToAssets(s);
        uint256 gain = sniperOut - 150_000 * USDC;
        console2.log("sniper gain on 150k (units)", gain);
        console2.log(
            "alice's recovery shared with the sniper (units)", aliceNoSniper - junior.convertToAssets(aliceShares)
        );
        assertApproxEqAbs(gain, aboveBook * 150 / 350, 2, "only its pro-rata share of the recovery above book");
        assertApproxEqAbs(aliceNoSniper - junior.convertToAssets(aliceShares), aboveBook * 150 / 350, 2);
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

    /// @dev F-1 (fixed): one USDC of realised junior value left and a 50k loan in liquidation. The deposit price
    ///      counts the loan at book, so a 1,000 USDC deposit buys 1,000/51,001 of the junior, not 99.9 %.
    function test_attack_recoverySniping_nearlyWipedOutJunior_pricedAtBook() public {
        _deposit(Tranche.Junior, alice, 50_001 * USDC);
        _deposit(Tranche.Senior, bob, 200_000 * USDC);
        (uint256 id,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        assertEq(junior.totalAssets(), 1 * USDC, "1 USDC left");
        assertEq(pool.trancheDepositValue(Tranche.Junior), 50_001 * USDC, "priced with the loan at book");
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 s = _deposit(Tranche.Junior, sniper, 1000 * USDC);
        _buy(buyer, id);
        uint256 sniperOut = junior.convertToAssets(s);
        uint256 aliceOut = junior.convertToAssets(aliceShares);
        console2.log("near-zero junior: sniper gets for 1,000 USDC (units)", sniperOut);
        console2.log("near-zero junior: alice gets (units)", aliceOut);
        // Junior after the sale: 1 + 1,000 + 52,500 = 53,501, split 1,000 : 50,001.
        assertApproxEqAbs(sniperOut, uint256(1000 * USDC) * 53_501 / 51_001, 2, "its share, priced at book");
        assertApproxEqAbs(aliceOut, uint256(50_001 * USDC) * 53_501 / 51_001, 2, "the old junior keeps its recovery");
    }
}
