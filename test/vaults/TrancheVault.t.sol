// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {StrataConfig, StrataDeployment} from "../../script/lib/StrataDeployer.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {AssetTransfer} from "../../src/libraries/AssetTransfer.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {FeeOnTransferToken} from "../mocks/FeeOnTransferToken.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Unit tests of every TrancheVault entry point and revert path (SPEC §5).
contract TrancheVaultTest is StrataTestBase {
    // ------------------------------------------------------------------ metadata

    function test_metadata() public view {
        assertEq(senior.name(), "Strata Senior");
        assertEq(junior.symbol(), "stJR");
        assertEq(senior.decimals(), 12, "6 asset decimals + 6 virtual offset");
        assertEq(senior.asset(), address(usdc));
        assertEq(address(senior.pool()), address(pool));
        assertEq(uint256(junior.tranche()), uint256(Tranche.Junior));
        assertEq(pool.vault(Tranche.Senior), address(senior));
        assertEq(pool.vault(Tranche.Junior), address(junior));
    }

    function test_initialize_cannotBeCalledTwice() public {
        vm.expectRevert();
        senior.initialize(pool, Tranche.Senior, address(usdc), "x", "y", gov, guardian, 0);
    }

    // ------------------------------------------------------------------ deposit

    function test_deposit_junior_mintsSharesAndBooksCash() public {
        _fund(alice, 1000 * USDC);
        vm.expectEmit(address(junior));
        emit IERC4626.Deposit(alice, alice, 1000 * USDC, 1000 * USDC * 1e6);
        vm.prank(alice);
        uint256 shares = junior.deposit(1000 * USDC, alice);
        assertEq(shares, 1000 * USDC * 1e6, "first deposit: assets * 10^offset");
        assertEq(junior.balanceOf(alice), shares);
        assertEq(pool.cash(), 1000 * USDC);
        assertEq(usdc.balanceOf(address(pool)), 1000 * USDC);
        assertEq(usdc.balanceOf(address(junior)), 0, "the vault never holds the asset");
        assertEq(junior.totalAssets(), 1000 * USDC);
        (, uint256 supply) = pool.queueState(Tranche.Junior);
        assertEq(supply, junior.totalSupply(), "pool mirrors the supply");
    }

    function test_deposit_senior_addsToClaim() public {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        assertEq(pool.seniorClaim(), 800_000 * USDC);
        assertEq(senior.totalAssets(), 800_000 * USDC);
        assertEq(junior.totalAssets(), 200_000 * USDC);
    }

    function test_deposit_toOtherReceiver() public {
        _fund(alice, 10 * USDC);
        vm.prank(alice);
        uint256 shares = junior.deposit(10 * USDC, bob);
        assertEq(junior.balanceOf(bob), shares);
        assertEq(junior.balanceOf(alice), 0);
    }

    function test_deposit_revertsOnZero() public {
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        vm.prank(alice);
        junior.deposit(0, alice);
    }

    function test_deposit_revertsOnDustThatMintsZeroShares() public {
        _deposit(Tranche.Junior, alice, 1000 * USDC);
        // Make one share worth more than one unit of asset: a large gain on a tiny supply.
        uint256 all = junior.balanceOf(alice);
        _juniorExit(alice, all - 1);
        _fund(bob, 1000 * USDC);
        vm.prank(bob);
        pool.recover(1000 * USDC);
        assertEq(junior.previewDeposit(1), 0);
        _fund(carol, 1);
        vm.prank(carol);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.deposit(1, carol);
    }

    function test_deposit_senior_revertsPastSubordination() public {
        _deposit(Tranche.Junior, alice, 200_000 * USDC);
        assertEq(senior.maxDeposit(bob), 800_000 * USDC, "junior 200k at a 20 % minimum carries 800k senior");
        _fund(bob, 800_000 * USDC + 1);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 800_000 * USDC + 1, 800_000 * USDC)
        );
        senior.deposit(800_000 * USDC + 1, bob);
        vm.prank(bob);
        senior.deposit(800_000 * USDC, bob);
        assertEq(senior.maxDeposit(bob), 0);
    }

    function test_deposit_senior_refusedWithoutJunior() public {
        assertEq(senior.maxDeposit(bob), 0);
        _fund(bob, 1 * USDC);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 1 * USDC, 0));
        senior.deposit(1 * USDC, bob);
    }

    function test_deposit_revertsWhenPaused() public {
        vm.prank(guardian);
        pool.setDepositsPaused(true);
        assertEq(junior.maxDeposit(alice), 0);
        assertEq(junior.maxMint(alice), 0);
        _fund(alice, 1 * USDC);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 1 * USDC, 0));
        junior.deposit(1 * USDC, alice);
        vm.prank(gov);
        pool.setDepositsPaused(false);
        vm.prank(alice);
        junior.deposit(1 * USDC, alice);
    }

    function test_deposit_withoutApproval_reverts() public {
        usdc.mint(alice, 1 * USDC);
        vm.prank(alice);
        vm.expectRevert("TRANSFER_FROM_FAILED");
        junior.deposit(1 * USDC, alice);
    }

    function test_onDeposit_rejectsNonVault() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, alice));
        vm.prank(alice);
        pool.onDeposit(Tranche.Junior, 1, 1);
        // The senior vault cannot book junior deposits.
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, address(senior)));
        vm.prank(address(senior));
        pool.onDeposit(Tranche.Junior, 1, 1);
    }

    function test_donation_doesNotMoveSharePrice() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        uint256 jBefore = junior.convertToAssets(1e18);
        uint256 sBefore = senior.convertToAssets(1e18);
        usdc.mint(address(pool), 50_000 * USDC);
        usdc.mint(address(junior), 50_000 * USDC);
        assertEq(junior.convertToAssets(1e18), jBefore);
        assertEq(senior.convertToAssets(1e18), sBefore);
        assertEq(pool.cash(), 100_000 * USDC, "cash is the ledger, not balanceOf");
    }

    function test_feeOnTransferAsset_rejected() public {
        FeeOnTransferToken fot = new FeeOnTransferToken();
        StrataConfig memory cfg = _config();
        cfg.asset = address(fot);
        StrataDeployment memory d2 = _deployStrata(cfg, address(this));
        fot.mint(alice, 100 * USDC);
        vm.startPrank(alice);
        fot.approve(address(d2.junior), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(AssetTransfer.FeeOnTransferNotSupported.selector, 100 * USDC, 99 * USDC));
        d2.junior.deposit(100 * USDC, alice);
        vm.stopPrank();
        assertEq(fot.balanceOf(alice), 100 * USDC, "nothing lost");
    }

    // ------------------------------------------------------------------ mint

    function test_mint_takesPreviewMintAssets() public {
        _seedLiquidity(0, 1000 * USDC);
        vm.warp(block.timestamp + 10 days);
        _fund(bob, 10_000 * USDC);
        uint256 shares = 123_456_789_123_456;
        uint256 expected = junior.previewMint(shares);
        uint256 balBefore = usdc.balanceOf(bob);
        vm.prank(bob);
        uint256 assets = junior.mint(shares, bob);
        assertEq(assets, expected);
        assertEq(balBefore - usdc.balanceOf(bob), assets);
        assertEq(junior.balanceOf(bob), shares);
    }

    function test_mint_revertsOnZero() public {
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.mint(0, alice);
    }

    function test_maxDeposit_junior_boundedByLedgerWidth() public {
        // No economic limit on the junior: only the pool's 128-bit ledgers (cash, shares) bound a deposit.
        uint256 max = junior.maxDeposit(alice);
        assertEq(max, uint256(type(uint128).max) / 1e6, "the share ledger binds first (10^6 virtual offset)");
        // #12 part 5: maxMint is what maxDeposit buys, so minting it never takes more than maxDeposit.
        uint256 m = junior.maxMint(alice);
        assertEq(m, junior.previewDeposit(max));
        assertLe(m, type(uint128).max, "fits the share ledger");
        assertLe(junior.previewMint(m), max, "previewMint(maxMint) <= maxDeposit");
        _fund(alice, max + 1);
        vm.prank(alice);
        // Past the share ledger's room: the pool, which prices and books the deposit in one call (#30), refuses it
        // with the vault's `maxDeposit`.
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, max + 1, max));
        junior.deposit(max + 1, alice);
        uint256 snap = vm.snapshotState();
        vm.prank(alice);
        assertLe(junior.mint(m, alice), max, "the mint of maxMint goes through within maxDeposit");
        vm.revertToState(snap);
        vm.prank(alice);
        junior.deposit(max, alice);
        assertEq(junior.maxDeposit(alice), 0);
        assertEq(junior.maxMint(alice), 0);
    }

    function test_maxMint_isExact() public {
        _deposit(Tranche.Junior, alice, 200_000 * USDC);
        uint256 m = senior.maxMint(bob);
        assertLe(senior.previewMint(m), senior.maxDeposit(bob));
        _fund(bob, 1_000_000 * USDC);
        vm.prank(bob);
        senior.mint(m, bob);
    }

    // ------------------------------------------------------------------ withdraw / redeem

    function test_withdraw_paysExactAssets() public {
        _seedLiquidity(1000 * USDC, 1000 * USDC);
        uint256 expectedShares = senior.previewWithdraw(400 * USDC);
        vm.prank(bob);
        uint256 shares = senior.withdraw(400 * USDC, carol, bob);
        assertEq(shares, expectedShares);
        assertEq(usdc.balanceOf(carol), 400 * USDC);
        assertEq(pool.cash(), 1600 * USDC);
        assertEq(senior.totalAssets(), 600 * USDC);
        assertEq(pool.seniorClaim(), 600 * USDC, "the claim falls by exactly the assets paid");
    }

    function test_redeem_paysPreviewRedeem() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        vm.warp(block.timestamp + 100 days);
        uint256 shares = senior.balanceOf(bob) / 3;
        uint256 expected = senior.previewRedeem(shares);
        uint256 claimBefore = pool.seniorClaim();
        uint256 supplyBefore = senior.totalSupply();
        vm.prank(bob);
        uint256 assets = senior.redeem(shares, bob, bob);
        assertEq(assets, expected);
        assertEq(usdc.balanceOf(bob), assets);
        assertEq(pool.seniorClaim(), claimBefore - assets, "the senior is whole: the claim falls by what is paid");
        assertGe(senior.totalAssets() * (supplyBefore + 1e6), claimBefore * (supplyBefore - shares + 1e6), "price");
    }

    function test_redeem_byApprovedSpender() public {
        _seedLiquidity(1000 * USDC, 1000 * USDC);
        vm.prank(bob);
        senior.approve(carol, 1e15);
        vm.prank(carol);
        senior.redeem(1e15, carol, bob);
        assertEq(usdc.balanceOf(carol), 1000 * USDC);
        assertEq(senior.allowance(bob, carol), 0);
    }

    function test_redeem_byStranger_reverts() public {
        _seedLiquidity(1000 * USDC, 1000 * USDC);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, carol, 0, 1e15));
        senior.redeem(1e15, carol, bob);
    }

    function test_withdrawAndRedeem_revertOnZero() public {
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.withdraw(0, alice, alice);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        junior.redeem(0, alice, alice);
    }

    function test_redeem_dustThatPaysZero_reverts() public {
        _seedLiquidity(1000 * USDC, 1000 * USDC);
        // 1 share is worth 1e-6 of a unit of asset: pays 0.
        assertEq(senior.previewRedeem(1), 0);
        vm.prank(bob);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        senior.redeem(1, bob, bob);
    }

    function test_withdraw_limitedByCash() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        _borrow(carol, apes, 50_000 * USDC, 30 days);
        assertEq(pool.availableCash(), 50_000 * USDC);
        assertEq(senior.maxWithdraw(bob), 50_000 * USDC);
        uint256 maxShares = senior.maxRedeem(bob);
        assertLe(senior.previewRedeem(maxShares), 50_000 * USDC);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.ExceedsMaxWithdraw.selector, 50_000 * USDC + 1, 50_000 * USDC)
        );
        senior.withdraw(50_000 * USDC + 1, bob, bob);
        vm.prank(bob);
        senior.withdraw(50_000 * USDC, bob, bob);
        assertEq(pool.cash(), 0);
    }

    function test_junior_exit_isANoticeRequest_limitedBySubordination() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        // No instant junior exit (SPEC §5 "Junior notice"): the max views are 0 and the actions revert.
        assertEq(junior.maxWithdraw(alice), 0);
        assertEq(junior.maxRedeem(alice), 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, alice, 1, 0));
        junior.withdraw(1, alice, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, alice, 1, 0));
        junior.redeem(1, alice, alice);
        // Add junior: alice's request is served, after the notice, with what carries her above the minimum.
        _deposit(Tranche.Junior, carol, 10_000 * USDC);
        uint256 shares = junior.balanceOf(alice);
        vm.prank(alice);
        uint256 id = junior.requestRedeem(shares, alice, alice);
        assertEq(junior.serviceableAt(id), block.timestamp + 1 days, "served no earlier than the notice");
        assertEq(junior.processQueue(1), 0, "notice not elapsed: nothing served");
        vm.warp(block.timestamp + 1 days - 1);
        assertEq(junior.processQueue(1), 0, "one second early: nothing served");
        vm.warp(block.timestamp + 1);
        uint256 room = pool.servable(Tranche.Junior);
        // J = 30k, NAV = 110k: y <= (30k - 0.2 * 110k) / 0.8 = 10k (less a day of senior accrual).
        assertApproxEqAbs(room, 10_000 * USDC, 20 * USDC);
        assertEq(junior.processQueue(1), 1);
        assertEq(junior.redeemRequest(id).claimableAssets, room, "served at the price of service, up to the room");
        assertGe(junior.totalAssets() * 10_000, pool.nav() * 2000, "at the minimum");
        assertLe(junior.totalAssets() * 10_000, pool.nav() * 2000 + 10_000, "exactly at the minimum");
    }

    function test_senior_withdraw_neverLimitedBySubordination() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        assertEq(senior.maxWithdraw(bob), 80_000 * USDC);
        vm.prank(bob);
        senior.withdraw(80_000 * USDC, bob, bob);
        assertEq(senior.totalSupply(), 0);
        assertEq(pool.seniorClaim(), 0);
    }

    function test_onWithdraw_rejectsNonVault() public {
        _seedLiquidity(0, 1000 * USDC);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, alice));
        vm.prank(alice);
        pool.onWithdraw(Tranche.Junior, 1000 * USDC, 1, alice);
    }

    function test_withdraw_worksWhilePaused() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        vm.startPrank(guardian);
        pool.setDepositsPaused(true);
        pool.setBorrowsPaused(true);
        vm.stopPrank();
        vm.prank(bob);
        senior.withdraw(1000 * USDC, bob, bob);
        assertEq(usdc.balanceOf(bob), 1000 * USDC);
    }

    // ------------------------------------------------------------------ impairment and wipe-out rules

    function test_impairedSenior_refusesDeposits() public {
        _seedLiquidity(800 * USDC, 200 * USDC);
        // Lend everything against one NFT, then crash the price and liquidate: NAV falls below the senior claim.
        _pushPrice(address(apes), 150_000 * USDC);
        _pushPrice(address(apes), 200_000 * USDC);
        (uint256 loanId,) = _borrow(carol, apes, 1000 * USDC, 30 days);
        vm.warp(block.timestamp + 30 days + 3 days + 1);
        liquidator.liquidate(loanId);
        assertLt(pool.nav(), pool.seniorClaim());
        assertEq(junior.totalAssets(), 0);
        assertEq(senior.maxDeposit(bob), 0, "impaired senior");
        assertEq(junior.maxDeposit(alice), 0, "wiped-out junior with shares outstanding");
        assertEq(senior.maxMint(bob), 0);
        _fund(dave, 1 * USDC);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 1, 0));
        junior.deposit(1, dave);
    }

    // ------------------------------------------------------------------ views

    function test_convert_isCallerIndependent() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        vm.warp(block.timestamp + 17 days);
        vm.prank(alice);
        uint256 a = senior.convertToShares(12_345 * USDC);
        vm.prank(carol);
        uint256 b = senior.convertToShares(12_345 * USDC);
        assertEq(a, b);
        assertEq(senior.maxDeposit(alice), senior.maxDeposit(carol));
    }

    function test_totalAssets_accruesWithoutKeeper() public {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
        vm.warp(block.timestamp + 365 days);
        // Idle money earns nothing (SPEC §5.1): the junior no longer pays the senior's rate on idle cash.
        assertEq(senior.totalAssets(), 80_000 * USDC, "idle senior money earns nothing");
        assertEq(junior.totalAssets(), 20_000 * USDC);
        // Half lent for 90 days: the senior earns 5 % x 50 %: 80k * Taylor(2.5 %), rounded down, without a keeper.
        _pushPrice(address(apes), FLOOR_A);
        _borrow(carol, apes, 50_000 * USDC, 90 days);
        uint256 t = block.timestamp;
        vm.warp(t + 90 days);
        assertEq(senior.totalAssets(), _taylor(80_000 * USDC, 0.025e18, 90 days));
    }

    function _taylor(uint256 claim, uint256 rate, uint256 dt) internal pure returns (uint256) {
        uint256 x = rate * dt / 365 days;
        uint256 x2 = x * x / 2e18;
        uint256 x3 = x2 * x / 3e18;
        return claim + claim * (x + x2 + x3) / 1e18;
    }
}
