// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {stdError} from "forge-std/StdError.sol";

import {ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, IStrataPool, LoanStatus, RarityProof, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {RarityProof as RarityLib} from "../../src/oracle/RarityProof.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Zero, dust and max-uint inputs on every entry point, rounding attacks on tiny loans and shares, and
///         rarity-proof replay. Every refusal is a custom error and nothing moves.
contract InputBoundsTest is LiquidationBase {
    function test_attack_zeroAmounts_everyEntryPoint() public {
        (uint256 id,) = _standardLoan();
        vm.startPrank(alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.deposit(0, alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.mint(0, alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.withdraw(0, alice, alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.redeem(0, alice, alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.requestRedeem(0, alice, alice);
        vm.expectRevert(ITrancheVault.ZeroMaxRequests.selector);
        junior.processQueue(0);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 1, alice, address(0)));
        junior.claimRedeem(1, alice); // no such request: nobody controls it
        vm.stopPrank();
        uint256 tokenId = _mintNft(apes, dave);
        vm.startPrank(dave);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.borrow(address(apes), tokenId, 0, 30 days, type(uint256).max, _noProof());
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.repay(id, 0);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.recover(0);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NothingToClaim.selector, dave));
        liquidator.claim(dave);
        vm.stopPrank();
        assertEq(pool.cash(), 1_000_000 * USDC - PRINCIPAL, "nothing moved");
    }

    function test_attack_maxUintAmounts_everyEntryPoint() public {
        (uint256 id,) = _standardLoan();
        vm.warp(block.timestamp + 5 days);
        _refresh();
        uint256 max = type(uint256).max;
        vm.startPrank(alice);
        // L-1 (fixed): amounts past the 128-bit ledgers revert with the ERC-4626 "exceeded max" errors before any
        // share conversion could overflow. Nothing moves.
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxDeposit.selector, alice, max, junior.maxDeposit(alice)
            )
        );
        junior.deposit(max, alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, alice, max, junior.maxWithdraw(alice)
            )
        );
        junior.withdraw(max, alice, alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxDeposit.selector,
                alice,
                junior.previewMint(max),
                junior.maxDeposit(alice)
            )
        );
        junior.mint(max, alice);
        uint256 bal = junior.balanceOf(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, alice, max, 0));
        junior.redeem(max, alice, alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, bal, max));
        junior.requestRedeem(max, alice, alice);
        vm.stopPrank();
        vm.startPrank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, bob, max, senior.maxWithdraw(bob)
            )
        );
        senior.withdraw(max, bob, bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, bob, max, senior.maxRedeem(bob)
            )
        );
        senior.redeem(max, bob, bob);
        vm.stopPrank();
        uint256 tokenId = _mintNft(apes, dave);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.PrincipalTooLarge.selector, max));
        pool.borrow(address(apes), tokenId, max, 30 days, max, _noProof());
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, max, 7 days, 90 days));
        pool.extend(id, max, max);
        // repay(max) takes exactly the debt, not the allowance.
        _fund(carol, 1000 * USDC);
        uint256 balBefore = usdc.balanceOf(carol);
        vm.prank(carol);
        uint256 paid = pool.repay(id, max);
        assertEq(paid, PRINCIPAL + _interest(PRINCIPAL, APR, 5 days));
        assertEq(balBefore - usdc.balanceOf(carol), paid);
        assertEq(pool.cash(), 1_000_000 * USDC + _interest(PRINCIPAL, APR, 5 days));
        assertEq(pool.cash(), usdc.balanceOf(address(pool)));
    }

    function test_attack_dustLoan_oneUnit_interestRoundsUp() public {
        (uint256 id, uint256 tokenId) = _borrow(dave, apes, 1, 7 days);
        assertEq(pool.loan(id).principal, 1);
        vm.warp(block.timestamp + 1);
        _fund(dave, 10);
        vm.prank(dave);
        uint256 paid = pool.repay(id, type(uint256).max);
        assertEq(paid, 2, "1 unit + interest rounded up to 1: no free loan");
        assertEq(apes.ownerOf(tokenId), dave);
        _assertLoanStatus(id, LoanStatus.Repaid);
        assertGe(pool.nav(), 1_000_000 * USDC, "NAV never below the deposits");
    }

    function test_attack_dustLoan_partialRepayCannotSkipInterest() public {
        (uint256 id,) = _borrow(dave, apes, 1000, 7 days);
        vm.warp(block.timestamp + 1 days);
        uint256 due = _interest(1000, pool.loan(id).apr, 1 days);
        assertEq(due, 1, "rounded up");
        _fund(dave, 10);
        vm.prank(dave);
        pool.repay(id, 1); // exactly the interest: principal unchanged
        assertEq(pool.loan(id).principal, 1000);
        vm.prank(dave);
        pool.repay(id, 2); // 1 interest (restarted clock: 0 elapsed -> 0) ... principal falls by what is above interest
        assertEq(pool.loan(id).principal, 998);
    }

    function test_attack_dustShares_depositOneWei_redeemOneShare() public {
        // 1 wei deposit at a price of ~1e-6 asset per share mints 10^6-ish shares, never zero, never free.
        _deposit(Tranche.Junior, carol, 1000 * USDC); // room for a senior deposit
        uint256 s = _deposit(Tranche.Senior, dave, 1);
        assertEq(s, senior.previewDeposit(1));
        assertGt(s, 0);
        assertEq(senior.previewRedeem(s), 1, "the round trip gives back the 1 wei, never more");
        vm.prank(dave);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        senior.redeem(1, dave, dave); // one share is worth 0 assets: refused, not paid
        // Withdrawing 1 wei burns shares rounded up: the lender can never take 1 wei for 0 shares.
        assertGe(senior.previewWithdraw(1), senior.convertToShares(1), "rounded up");
        // The junior's dust: a 1-share request is retired for nothing once servable, never paid.
        uint256 j = _deposit(Tranche.Junior, dave, 1);
        assertGt(j, 0);
        vm.prank(dave);
        uint256 req = junior.requestRedeem(1, dave, dave);
        vm.warp(block.timestamp + junior.noticePeriod());
        junior.processQueue(1);
        assertEq(junior.redeemRequest(req).claimableAssets, 0, "one junior share is worth 0: retired unpaid");
    }

    /// @notice #12 part 5: an exit without (enough) shares reverts with the ERC-4626 max error, not a token error.
    function test_attack_exitWithoutShares_revertsWithTheMaxError() public {
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, carol, 1, 0));
        senior.withdraw(1, carol, carol);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, carol, 1, 0));
        senior.redeem(1, carol, carol);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, carol, 1, 0));
        junior.withdraw(1, carol, carol);
        vm.stopPrank();
        uint256 all = senior.maxWithdraw(bob);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, bob, all + 1, all)
        );
        senior.withdraw(all + 1, bob, bob);
    }

    function test_attack_rarityProofReplay_otherTokenOrCollection() public {
        // Two-leaf tree for apes: token 7 at 3x, token 8 at 1.5x. The proof of one leaf is the other leaf.
        bytes32 leaf7 = RarityLib.leaf(7, 30_000);
        bytes32 leaf8 = RarityLib.leaf(8, 15_000);
        bytes32 root = leaf7 < leaf8 ? keccak256(abi.encode(leaf7, leaf8)) : keccak256(abi.encode(leaf8, leaf7));
        CollectionParams memory pa = _paramsA();
        pa.rarityRoot = root;
        vm.prank(gov);
        registry.configureCollection(address(apes), pa);
        RarityProof memory p7;
        p7.multiplierBps = 30_000;
        p7.proof = new bytes32[](1);
        p7.proof[0] = leaf8;
        apes.mint(dave, 8);
        punks.mint(dave, 7);
        vm.startPrank(dave);
        apes.setApprovalForAll(address(pool), true);
        punks.setApprovalForAll(address(pool), true);
        // Token 7's proof replayed for token 8 (same collection).
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(apes), 8, 30_000));
        pool.borrow(address(apes), 8, 1000 * USDC, 30 days, type(uint256).max, p7);
        // Replayed for token 7 of another collection (its own root is unset).
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(punks), 7, 30_000));
        pool.borrow(address(punks), 7, 1000 * USDC, 30 days, type(uint256).max, p7);
        vm.stopPrank();
        // The genuine proof works for the genuine token.
        apes.mint(dave, 7);
        vm.prank(dave);
        uint256 id = pool.borrow(address(apes), 7, 150_000 * USDC, 30 days, type(uint256).max, p7);
        assertEq(pool.loan(id).rarityBps, 30_000);
        // Documented limit: the leaf is (tokenId, multiplier), not bound to the collection. Only if governance gives
        // two collections the same root does a proof replay across them (the multiplier is still capped per
        // collection: punks' maxRarityBps is 2x).
        CollectionParams memory pb = _paramsB();
        pb.rarityRoot = root;
        vm.prank(gov);
        registry.configureCollection(address(punks), pb);
        vm.prank(dave);
        uint256 id2 = pool.borrow(address(punks), 7, 1000 * USDC, 30 days, type(uint256).max, p7);
        assertEq(pool.loan(id2).rarityBps, 20_000, "replayed, capped at punks' 2x");
    }
}
