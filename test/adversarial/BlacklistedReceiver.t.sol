// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AuctionStatus} from "../../src/interfaces/ILiquidator.sol";
import {LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {HostileAssetBase} from "./HostileAssetBase.sol";

/// @notice A USDC-style blacklist on the pool asset. A blacklisted borrower, treasury or lender cannot block a
///         repayment, a liquidation, an auction or another lender's exit: payments to users that could fail are
///         credited and pulled (borrower surplus in the liquidator, protocol fees in the pool, served queue assets in
///         the vault) and NFT returns are plain `transferFrom`s of the collection, which the asset's blacklist cannot
///         touch. Only the blacklisted account's own pull fails, and it can pull to another receiver.
contract BlacklistedReceiverTest is HostileAssetBase {
    function test_attack_blacklistedBorrower_cannotBlockRepayment() public {
        (uint256 id, uint256 tokenId) = _standardLoan();
        hostile.setBlacklisted(carol, true);
        vm.warp(block.timestamp + 10 days);
        _fund(dave, 60_000 * USDC);
        vm.prank(dave);
        uint256 paid = pool.repay(id, type(uint256).max);
        assertEq(paid, PRINCIPAL + _interest(PRINCIPAL, APR, 10 days));
        _assertLoanStatus(id, LoanStatus.Repaid);
        assertEq(apes.ownerOf(tokenId), carol, "NFT back to the (blacklisted) borrower, not the payer");
        _assertSolvent();
    }

    function test_attack_blacklistedBorrower_cannotBlockLiquidationAuctionOrRedeem() public {
        (uint256 id, uint256 tokenId) = _standardLoan();
        hostile.setBlacklisted(carol, true);
        _crashTo(address(apes), 60_000 * USDC); // 50k > 42k
        _liquidate(id);
        uint256 owed = PRINCIPAL + _bpsUp(PRINCIPAL, PENALTY_A_BPS);

        // A third party redeems for the borrower: the NFT goes to her.
        uint256 snap = vm.snapshotState();
        _fund(dave, owed);
        vm.prank(dave);
        liquidator.redeem(id);
        assertEq(apes.ownerOf(tokenId), carol);
        assertEq(uint256(liquidator.auction(id).status), uint256(AuctionStatus.Redeemed));
        vm.revertToState(snap);

        // A buyer pays above the debt: the surplus is credited to the blacklisted borrower, never pushed.
        uint256 price = _buy(buyer, id);
        assertEq(price, 90_000 * USDC, "60k x 1.5");
        assertEq(apes.ownerOf(tokenId), buyer);
        assertEq(liquidator.claimable(carol), price - owed);
        _assertSolvent();
        vm.prank(carol);
        vm.expectRevert(bytes("TRANSFER_FAILED"));
        liquidator.claim(carol);
        address fresh = makeAddr("fresh");
        vm.prank(carol);
        liquidator.claim(fresh);
        assertEq(hostile.balanceOf(fresh), price - owed, "pulled to another receiver");
        assertEq(liquidator.totalClaimable(), 0);
    }

    function test_attack_blacklistedTreasury_cannotBlockRepayment() public {
        vm.prank(gov);
        pool.setFees(0, 1000);
        (uint256 id,) = _standardLoan();
        hostile.setBlacklisted(treasury, true);
        vm.warp(block.timestamp + 30 days);
        _fund(carol, 10_000 * USDC);
        vm.prank(carol);
        pool.repay(id, type(uint256).max);
        uint256 fees = pool.protocolFees();
        // interest ceil(50k x 5.625 % x 30/365) = 231,164,384; the pool keeps ceil(at the 10 %-net apr) = 208,047,946.
        assertEq(fees, 23_116_438, "the protocol's 10 % of interest, credited, never pushed");
        vm.expectRevert(bytes("TRANSFER_FAILED"));
        pool.payProtocolFees();
        assertEq(pool.protocolFees(), fees, "fees stay on the ledger");
        _assertSolvent();
    }

    function test_attack_blacklistedLender_cannotBlockOthersAndClaimsElsewhere() public {
        uint256 shares = senior.balanceOf(bob);
        vm.prank(bob);
        uint256 req = senior.requestRedeem(shares / 4, bob, bob); // served at once: cash is idle
        uint256 owed = senior.redeemRequest(req).claimableAssets;
        assertEq(owed, 200_000 * USDC);
        hostile.setBlacklisted(bob, true);
        vm.prank(bob);
        vm.expectRevert(bytes("TRANSFER_FAILED"));
        senior.claimRedeem(req, bob);
        // Other lenders are unaffected.
        uint256 juniorShares = junior.convertToShares(10_000 * USDC);
        vm.prank(alice);
        uint256 juniorReq = junior.requestRedeem(juniorShares, alice, alice);
        vm.warp(block.timestamp + junior.noticePeriod());
        junior.processQueue(1);
        uint256 claimable = junior.claimableRedeemRequest(juniorReq, alice);
        vm.prank(alice);
        assertGt(junior.redeem(claimable, alice, alice), 9990 * USDC, "a junior exit is served and claimed");
        address fresh = makeAddr("fresh");
        vm.prank(bob);
        senior.claimRedeem(req, fresh);
        assertEq(hostile.balanceOf(fresh), owed);
        _assertSolvent();
    }
}
