// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice One share ledger (issue #30, SPEC §8.6): a vault's `totalSupply` is the pool's tranche supply
///         (`shareSupply`), and the vault's `_update` moves balances in OpenZeppelin's ERC-20 storage without a supply
///         of its own. Every mint, burn and transfer keeps the balances adding up to the pool's supply, with
///         OpenZeppelin's events and errors; OpenZeppelin's `_totalSupply` is never written (it stays 0 on a vault
///         deployed since #30, so a `totalSupply` that read it would read 0); deposits and redemptions read no supply.
contract ShareLedgerTest is StrataTestBase {
    // keccak256(abi.encode(uint256(keccak256("openzeppelin.storage.ERC20")) - 1)) & ~bytes32(uint256(0xff))
    uint256 internal constant OZ_ERC20 = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00;
    /// @dev `ERC20Storage._totalSupply`, frozen legacy since #30.
    bytes32 internal constant OZ_TOTAL_SUPPLY = bytes32(OZ_ERC20 + 2);

    function setUp() public override {
        super.setUp();
        _seedLiquidity(70_000 * USDC, 30_000 * USDC);
    }

    // ------------------------------------------------------------------ the one ledger

    function test_totalSupply_isThePoolsLedger_andTheFrozenSlotIsNeverWritten() public view {
        _assertLedger(senior, Tranche.Senior);
        _assertLedger(junior, Tranche.Junior);
        assertEq(senior.totalSupply(), 70_000 * USDC * 1e6, "the pool's figure, not the frozen 0");
        assertEq(vm.load(address(senior), OZ_TOTAL_SUPPLY), 0, "deposits never write OpenZeppelin's supply");
        assertEq(vm.load(address(junior), OZ_TOTAL_SUPPLY), 0);
    }

    function test_mintBurnTransfer_moveBalancesOnly_withOpenZeppelinsEvents() public {
        uint256 supply = senior.totalSupply();
        uint256 bobShares = senior.balanceOf(bob);
        assertEq(bobShares, supply, "bob is the only senior lender");

        // Mint: `Transfer(0, receiver)`, the receiver's balance and the pool's supply grow by the shares.
        _fund(carol, 1000 * USDC);
        uint256 minted = senior.previewDeposit(1000 * USDC);
        vm.expectEmit(address(senior));
        emit IERC20.Transfer(address(0), carol, minted);
        vm.prank(carol);
        senior.deposit(1000 * USDC, carol);
        assertEq(senior.balanceOf(carol), minted);
        assertEq(senior.totalSupply(), supply + minted);

        // Transfer: from's balance falls, to's grows (to an existing holder: added, not overwritten), supply unchanged.
        vm.expectEmit(address(senior));
        emit IERC20.Transfer(bob, carol, 1e15);
        vm.prank(bob);
        assertTrue(senior.transfer(carol, 1e15));
        assertEq(senior.balanceOf(bob), bobShares - 1e15, "debited");
        assertEq(senior.balanceOf(carol), minted + 1e15, "credited on top of the mint");
        assertEq(senior.totalSupply(), supply + minted);

        // To oneself: nothing changes.
        vm.prank(carol);
        assertTrue(senior.transfer(carol, minted));
        assertEq(senior.balanceOf(carol), minted + 1e15, "a transfer to oneself moves nothing");

        // transferFrom with an allowance.
        vm.prank(carol);
        senior.approve(dave, 5e14);
        vm.prank(dave);
        assertTrue(senior.transferFrom(carol, dave, 5e14));
        assertEq(senior.balanceOf(carol), minted + 5e14);
        assertEq(senior.balanceOf(dave), 5e14);

        // Burn (redeem): `Transfer(owner, 0)`, the owner's balance and the pool's supply fall by the shares.
        vm.expectEmit(address(senior));
        emit IERC20.Transfer(dave, address(0), 5e14);
        vm.prank(dave);
        senior.redeem(5e14, dave, dave);
        assertEq(senior.balanceOf(dave), 0);
        assertEq(senior.totalSupply(), supply + minted - 5e14);

        // Burn (withdraw).
        uint256 burned = senior.previewWithdraw(100 * USDC);
        vm.prank(carol);
        assertEq(senior.withdraw(100 * USDC, carol, carol), burned);
        assertEq(senior.balanceOf(carol), minted + 5e14 - burned);

        assertEq(
            senior.balanceOf(bob) + senior.balanceOf(carol) + senior.balanceOf(dave),
            senior.totalSupply(),
            "the balances add up to the pool's supply"
        );
        _assertLedger(senior, Tranche.Senior);
        assertEq(vm.load(address(senior), OZ_TOTAL_SUPPLY), 0, "no mint, burn or transfer writes it");
    }

    /// @dev The queue: a request moves shares to the vault, service burns them there, cancellation moves them back.
    function test_queue_locksBurnsAndReturnsShares_onTheOneLedger() public {
        _lendOut(); // 10k of cash left: the line forms
        uint256 supply = senior.totalSupply();
        uint256 bobShares = senior.balanceOf(bob);
        vm.prank(bob);
        uint256 id = senior.requestRedeem(bobShares / 2, bob, bob);
        (uint256 pending, uint256 poolSupply) = pool.queueState(Tranche.Senior);
        assertEq(senior.balanceOf(address(senior)), pending, "the vault holds what is pending");
        assertEq(senior.balanceOf(address(senior)) + senior.balanceOf(bob), poolSupply);
        uint256 served = bobShares / 2 - pending;
        assertGt(served, 0, "served in part at once (cash allowed it)");
        assertGt(pending, 0, "and the rest queued");
        assertEq(senior.totalSupply(), supply - served, "service burned from the pool's supply");
        vm.prank(bob);
        senior.cancelRedeemRequest(id);
        assertEq(senior.balanceOf(address(senior)), 0);
        assertEq(senior.balanceOf(bob), bobShares - served, "the pending shares came back");
        _assertLedger(senior, Tranche.Senior);
        assertEq(vm.load(address(senior), OZ_TOTAL_SUPPLY), 0);
    }

    // ------------------------------------------------------------------ OpenZeppelin's errors, nothing moves

    function test_moreThanTheBalance_revertsWithOpenZeppelinsError() public {
        uint256 bal = junior.balanceOf(alice);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, bal, bal + 1));
        junior.transfer(carol, bal + 1);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, bal, bal + 1));
        junior.requestRedeem(bal + 1, alice, alice);
        junior.approve(carol, type(uint256).max);
        vm.stopPrank();
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, bal, bal + 1));
        junior.transferFrom(alice, carol, bal + 1);
        vm.prank(carol); // no shares at all
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, carol, 0, 1));
        junior.transfer(alice, 1);
        assertEq(junior.balanceOf(alice), bal, "nothing moved");
        assertEq(junior.balanceOf(carol), 0);
        _assertLedger(junior, Tranche.Junior);
    }

    function test_toOrFromZero_revertsWithOpenZeppelinsErrors() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        junior.transfer(address(0), 1);
        _fund(carol, 10 * USDC);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        junior.deposit(10 * USDC, address(0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        junior.approve(address(0), 1);
        _assertLedger(junior, Tranche.Junior);
    }

    /// @dev The 128-bit ledger's room is measured from the pool's supply (not from 0): a mint one share past it
    ///      reverts with the ERC-4626 error before any asset moves.
    function test_mint_pastTheLedgersRoom_measuredFromThePoolsSupply() public {
        uint256 room = type(uint128).max - junior.totalSupply();
        assertLt(room, type(uint128).max, "a supply outstanding");
        uint256 assets = junior.previewMint(room + 1);
        uint256 max = junior.maxDeposit(carol);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxDeposit.selector, carol, assets, max)
        );
        junior.mint(room + 1, carol);
    }

    // ------------------------------------------------------------------ no supply read on the hot paths

    /// @dev A deposit is priced by the pool (`onDeposit`): the vault reads no supply (no `queueState` call).
    function test_deposit_readsNoSupply() public {
        _fund(carol, 1000 * USDC);
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.shareSupply, (Tranche.Senior)), 0);
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.queueState, (Tranche.Senior)), 0);
        vm.prank(carol);
        senior.deposit(1000 * USDC, carol);
    }

    /// @dev A redemption is priced by the pool (`onWithdraw`): the vault reads no supply.
    function test_redeem_readsNoSupply() public {
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.shareSupply, (Tranche.Senior)), 0);
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.queueState, (Tranche.Senior)), 0);
        vm.prank(bob);
        senior.redeem(1e15, bob, bob);
    }

    /// @dev A mint prices the shares and checks the ledger's room with one supply read.
    function test_mint_readsTheSupplyOnce() public {
        _fund(carol, 1000 * USDC);
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.shareSupply, (Tranche.Senior)), 1);
        vm.prank(carol);
        senior.mint(1e15, carol);
    }

    /// @dev A withdrawal converts its assets to shares with one supply read.
    function test_withdraw_readsTheSupplyOnce() public {
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.shareSupply, (Tranche.Senior)), 1);
        vm.prank(bob);
        senior.withdraw(100 * USDC, bob, bob);
    }

    /// @dev Serving several requests in one call reads the supply once and follows it (each service burns its
    ///      shares from it): the batch equals serving them one call at a time (`RedemptionQueue.t.sol` checks the
    ///      figures), with one read.
    function test_processQueue_readsTheSupplyOnce() public {
        _lendOut(); // 10k of cash left: bob's first request is served in part, the rest and the others wait
        vm.startPrank(bob);
        uint256 bobShares = senior.balanceOf(bob);
        senior.requestRedeem(bobShares - 3e15, bob, bob);
        senior.requestRedeem(1e15, bob, bob);
        senior.requestRedeem(1e15, bob, bob);
        vm.stopPrank();
        (uint256 pending,) = pool.queueState(Tranche.Senior);
        assertGt(pending, 2e15, "requests wait");
        _fund(address(this), 200_000 * USDC);
        usdc.approve(address(pool), 200_000 * USDC);
        pool.recover(200_000 * USDC); // cash for the whole line
        vm.expectCall(address(pool), abi.encodeCall(IStrataPool.shareSupply, (Tranche.Senior)), 1);
        assertEq(senior.processQueue(10), 3, "three requests served in one call");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Lends 90k of the pool's 100k.
    function _lendOut() internal {
        _borrow(carol, apes, 50_000 * USDC, 30 days);
        _borrow(dave, apes, 40_000 * USDC, 30 days);
        assertEq(pool.cash(), 10_000 * USDC);
    }

    function _assertLedger(TrancheVault v, Tranche t) internal view {
        (uint256 pending, uint256 supply) = pool.queueState(t);
        assertEq(v.totalSupply(), supply, "totalSupply is the pool's supply");
        assertEq(v.balanceOf(address(v)), pending, "the vault holds the pending shares");
    }
}
