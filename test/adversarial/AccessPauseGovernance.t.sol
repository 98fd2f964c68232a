// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AuctionParams, AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, IStrataPool, Loan, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Unauthorized callers of the protocol-internal hooks, borrowing against NFTs the caller does not own,
///         liquidating a healthy loan, double settlement, pause paths, and governance changes under live loans.
///         Governance-only functions are covered by test/governance/GovernanceAccess.t.sol (every admin function
///         against strangers, guardians, proposers, reporters and the deployer); not repeated here.
contract AccessPauseGovernanceTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    // ------------------------------------------------------------------ unauthorized roles (table)

    function test_attack_unauthorized_internalHooks_table() public {
        (uint256 id,) = _standardLoan();
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        bytes[8] memory calls = [
            abi.encodeCall(pool.onDeposit, (Tranche.Junior, 1e6 * USDC, 1e18)),
            abi.encodeCall(pool.onWithdraw, (Tranche.Senior, 1e6 * USDC, 1, attacker)),
            abi.encodeCall(pool.onRedeemQueueChanged, (Tranche.Junior, 1, false)),
            abi.encodeCall(pool.onRedeemQueueChanged, (Tranche.Junior, 1, true)),
            abi.encodeCall(pool.onRedeemServed, (Tranche.Senior, 1e6 * USDC, 1)),
            abi.encodeCall(pool.impair, (2)),
            abi.encodeCall(pool.completeLiquidation, (id, 0, attacker)),
            abi.encodeCall(pool.markUnsold, (id, 0, attacker))
        ];
        address[4] memory callers = [attacker, address(liquidator), gov, guardian];
        for (uint256 c; c < callers.length; ++c) {
            for (uint256 i; i < calls.length; ++i) {
                bool liquidatorCall = i >= 5;
                if (liquidatorCall && callers[c] == address(liquidator)) continue;
                bytes memory expected = liquidatorCall
                    ? abi.encodeWithSelector(IStrataPool.NotLiquidator.selector, callers[c])
                    : abi.encodeWithSelector(IStrataPool.NotVault.selector, callers[c]);
                vm.prank(callers[c]);
                (bool ok, bytes memory ret) = address(pool).call(calls[i]);
                assertFalse(ok);
                assertEq(ret, expected);
            }
        }
        // A vault cannot act for the other tranche.
        vm.prank(address(senior));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, address(senior)));
        pool.onDeposit(Tranche.Junior, 1, 1);
        vm.prank(address(junior));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, address(junior)));
        pool.onWithdraw(Tranche.Senior, 1, 1, attacker);
        // Extend is the borrower's alone.
        (uint256 id2,) = _borrow(carol, apes, 10_000 * USDC, 30 days);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotBorrower.selector, id2, attacker));
        pool.extend(id2, 30 days, type(uint256).max);
    }

    // ------------------------------------------------------------------ NFTs not owned

    function test_attack_borrowAgainstNftNotOwned_singleTokenApproval() public {
        // (Operator-for-all is test/pool/Borrow.t.sol::test_borrow_reverts_notOwner_evenIfApprovedOperator.)
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        apes.approve(attacker, tokenId);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotTokenOwner.selector, address(apes), tokenId, attacker));
        pool.borrow(address(apes), tokenId, 10_000 * USDC, 30 days, type(uint256).max, _noProof());
        assertEq(apes.ownerOf(tokenId), carol);
        assertEq(usdc.balanceOf(attacker), 0);
    }

    function test_attack_repayOthersLoan_nftGoesToBorrower_partialRepayAlsoCreditsBorrower() public {
        (uint256 id, uint256 tokenId) = _standardLoan();
        vm.warp(block.timestamp + 10 days);
        _fund(attacker, 100_000 * USDC);
        vm.prank(attacker);
        pool.repay(id, 10_000 * USDC);
        assertEq(pool.loan(id).borrower, carol, "a payer never becomes the borrower");
        vm.prank(attacker);
        pool.repay(id, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol);
    }

    // ------------------------------------------------------------------ liquidation

    function test_attack_liquidateHealthyLoan_reverts() public {
        (uint256 id,) = _standardLoan();
        _crashTo(address(apes), 71_429 * USDC); // 50k <= 70 % x 71,429 = 50,000.3
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, id));
        liquidator.liquidate(id);
        _assertLoanStatus(id, LoanStatus.Active);
    }

    function test_attack_doubleSettlement_everyOrder() public {
        (uint256 id,) = _standardLoan();
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        uint256 snap = vm.snapshotState();
        for (uint256 first; first < 3; ++first) {
            if (first == 0) _buy(buyer, id);
            if (first == 1) _redeemFor(id);
            if (first == 2) {
                vm.warp(block.timestamp + RECOVERY_TIMEOUT);
                vm.prank(gov);
                liquidator.recoverUnsold(id, gov, 0);
            }
            uint256 cash = pool.cash();
            _fund(attacker, 1_000_000 * USDC);
            vm.startPrank(attacker);
            vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, id));
            liquidator.buy(id, type(uint256).max);
            vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, id));
            liquidator.redeem(id);
            vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, id));
            liquidator.liquidate(id);
            vm.stopPrank();
            vm.prank(gov);
            vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, id));
            liquidator.recoverUnsold(id, gov, 0);
            vm.prank(address(liquidator));
            vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotLiquidating.selector, id));
            pool.completeLiquidation(id, 0, address(0));
            assertEq(pool.cash(), cash, "settled exactly once");
            _assertLoanStatus(id, first == 2 ? LoanStatus.Recovering : LoanStatus.Liquidated);
            vm.revertToState(snap);
        }
    }

    function _redeemFor(uint256 id) internal {
        _fund(carol, 10_000 * USDC);
        vm.prank(carol);
        liquidator.redeem(id);
    }

    // ------------------------------------------------------------------ pause

    function _pauseEverything() internal {
        vm.startPrank(guardian);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
    }

    function test_attack_pause_neverBlocksExits_repayRedeemLiquidateBuyQueueWithdraw() public {
        (uint256 id1, uint256 t1) = _standardLoan();
        (uint256 id2,) = _borrow(dave, apes, PRINCIPAL, 30 days);
        (uint256 id3,) = _borrow(dave, apes, PRINCIPAL, 30 days);
        uint256 shares = senior.balanceOf(bob);
        _pauseEverything();
        // Repay.
        vm.warp(block.timestamp + 5 days);
        _fund(carol, 1000 * USDC);
        vm.prank(carol);
        pool.repay(id1, type(uint256).max);
        assertEq(apes.ownerOf(t1), carol);
        // Liquidate, redeem, buy.
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id2);
        _liquidate(id3);
        _fund(dave, 200_000 * USDC);
        vm.prank(dave);
        liquidator.redeem(id2);
        _buy(buyer, id3);
        // Withdraw, queue request, process, claim.
        vm.startPrank(bob);
        senior.withdraw(1000 * USDC, bob, bob);
        uint256 req = senior.requestRedeem(shares / 10, bob, bob);
        senior.processQueue(1);
        senior.claimRedeem(req, bob);
        vm.stopPrank();
        assertEq(senior.redeemRequest(req).claimableAssets, 0);
        assertEq(uint256(liquidator.auction(id3).status), uint256(AuctionStatus.Sold));
        _assertSolvent();
    }

    /// @dev A borrower is never liquidated for interest accrued while it could not act: pausing never blocks repay.
    ///      (Extend is blocked by a pause: a borrower who wanted to roll over must repay; see docs/SECURITY.md.)
    function test_attack_pause_borrowerRepaysDuringPause_thenCannotBeLiquidated() public {
        (uint256 id, uint256 tokenId) = _standardLoan();
        _pauseEverything();
        vm.prank(carol);
        vm.expectRevert(IStrataPool.BorrowsPaused.selector);
        pool.extend(id, 30 days, type(uint256).max);
        vm.warp(block.timestamp + 30 days + 1 days); // past maturity, inside grace
        _fund(carol, 2000 * USDC);
        vm.prank(carol);
        pool.repay(id, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol);
        vm.warp(block.timestamp + 10 days); // long overdue had it stayed open
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, id));
        liquidator.liquidate(id);
    }

    // ------------------------------------------------------------------ governance under live loans

    function test_attack_governanceChangesNeverWorsenLiveLoans() public {
        vm.warp(block.timestamp + 1 days);
        _refresh();
        (uint256 id,) = _standardLoan();
        Loan memory before = pool.loan(id);
        // Governance worsens every parameter it can (bounded).
        CollectionParams memory p = _paramsA();
        p.liquidationThresholdBps = 5100;
        p.ltvBps = 5000;
        p.liquidationPenaltyBps = 2000;
        p.lateFeeBps = 1000;
        p.curve.baseRate = 0.5e18;
        vm.startPrank(gov);
        registry.configureCollection(address(apes), p);
        pool.setFees(500, 5000);
        pool.setGracePeriod(1 hours);
        liquidator.setAuctionParams(
            AuctionParams({
                startMultiplierBps: 10_000, endMultiplierBps: 1000, auctionDuration: 1 hours, recoveryTimeout: 7 days
            })
        );
        vm.stopPrank();
        Loan memory afterGov = pool.loan(id);
        assertEq(abi.encode(afterGov), abi.encode(before), "every stored term unchanged");

        // Threshold: at a 72k floor the debt (~50.2k) is under the loan's 70 % (50.4k) but far over the new 51 %
        // (36.7k): the loan stays safe.
        _crashTo(address(apes), 72_000 * USDC);
        assertFalse(liquidator.isLiquidatable(id), "old threshold applies");
        // Grace: 1 hour after maturity is overdue under the new grace, not under the loan's 3 days.
        vm.warp(uint256(before.maturity) + 2 days);
        _refresh();
        assertFalse(liquidator.isLiquidatable(id), "old grace applies");
        // Repay in grace: old apr, old 1 % late fee, no protocol fee.
        uint256 elapsed = block.timestamp - before.start;
        uint256 expected = PRINCIPAL + _interest(PRINCIPAL, APR, elapsed) + _bpsUp(PRINCIPAL, 100);
        _fund(carol, 10_000 * USDC);
        vm.prank(carol);
        uint256 paid = pool.repay(id, type(uint256).max);
        assertEq(paid, expected, "old apr and late fee");
        assertEq(pool.protocolFees(), 0, "old (zero) protocol fee");
    }

    function test_attack_governanceChanges_penaltyLockedInAuction() public {
        (uint256 id,) = _standardLoan();
        CollectionParams memory p = _paramsA();
        p.liquidationPenaltyBps = 2000;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(id);
        assertEq(liquidator.auction(id).owed, PRINCIPAL + _bpsUp(PRINCIPAL, PENALTY_A_BPS), "old 5 % penalty");
    }
}
