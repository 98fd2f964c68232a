// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice `recoverUnsold`: governance only, only after `recoveryTimeout`, realises the loss; a later sale of the NFT
///         enters NAV through `pool.recover` (SPEC §7).
contract RecoverUnsoldTest is LiquidationBase {
    uint256 internal t0;
    uint256 internal tStart;
    uint256 internal loanId;
    uint256 internal tokenId;
    uint256 internal book;
    address internal recovery = makeAddr("recovery");

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        (loanId, tokenId) = _standardLoan();
        _overdue(loanId);
        tStart = block.timestamp;
        book = PRINCIPAL + _interest(PRINCIPAL, APR, tStart - t0);
        _liquidate(loanId);
    }

    function test_recover_onlyGovernance() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        address[4] memory callers = [keeper, carol, guardian, multisig];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, callers[i]));
            vm.prank(callers[i]);
            liquidator.recoverUnsold(loanId, callers[i]);
        }
    }

    function test_recover_tooEarly_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidator.RecoveryTooEarly.selector, loanId, tStart + RECOVERY_TIMEOUT)
        );
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery);
    }

    function test_recover_zeroAddress_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(Governed.ZeroAddress.selector));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, address(0));
    }

    function test_recover_notRunning_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, 31));
        vm.prank(gov);
        liquidator.recoverUnsold(31, recovery);
    }

    function test_recover_afterTimeout_thenRecoveryRestoresSeniorFirst() public {
        uint256 tRec = tStart + RECOVERY_TIMEOUT;
        vm.warp(tRec);
        uint256 navBefore = pool.nav();
        assertEq(navBefore, 950_000 * USDC, "loss already out of NAV");

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionRecovered(loanId, recovery);
        vm.expectEmit(address(pool));
        emit IStrataPool.LiquidationSettled(loanId, 0, book, 0);
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery);

        assertEq(apes.ownerOf(tokenId), recovery, "NFT to the recovery address");
        _assertLoanStatus(loanId, LoanStatus.Liquidated);
        assertEq(uint256(liquidator.auction(loanId).status), uint256(AuctionStatus.Recovered));
        assertEq(pool.nav(), navBefore, "NAV unchanged");
        _assertSolvent();

        // Settled once: nobody can buy or redeem it any more.
        _fund(dave, 200_000 * USDC);
        vm.startPrank(dave);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.buy(loanId, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.redeem(loanId);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery);

        // The recovery address sells the NFT off-protocol for 40k and books the proceeds as pool income.
        uint256 claim = _compound(800_000 * USDC, SENIOR_RATE, tRec - t0);
        _assertTranches(claim, 950_000 * USDC - claim);
        _fund(recovery, 40_000 * USDC);
        vm.expectEmit(address(pool));
        emit IStrataPool.Recovered(recovery, 40_000 * USDC);
        vm.prank(recovery);
        pool.recover(40_000 * USDC);
        assertEq(pool.nav(), 990_000 * USDC);
        _assertTranches(claim, 990_000 * USDC - claim);
        _assertSolvent();
    }

    function test_recoverZero_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ZeroAmount.selector));
        pool.recover(0);
    }

    function test_recover_atExactTimeout_evenWithAuctionRunningFlat() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        assertEq(liquidator.currentPrice(loanId), 50_000 * USDC, "auction still open at its end price");
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery);
        assertEq(apes.ownerOf(tokenId), recovery);
    }
}
