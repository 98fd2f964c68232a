// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The MUSTs of ERC-4626 that apply to each vault, as fuzzed properties in the style of the a16z ERC-4626
///         property suite (a random pool state, random callers and amounts, one property per test). Both vaults:
///         `asset`/`totalAssets`/`convertTo*`/`max*` never revert and `convertTo*` do not depend on the caller; the
///         synchronous entry (`deposit`/`mint`): previews against the action, balances, the `Deposit` event, the max
///         limits accepted. The senior also: the synchronous exits (`withdraw`/`redeem`, by the owner or a spender of
///         its allowance), previews against them, the `Withdraw` event, the max limits accepted and one past them
///         refused, and the a16z round trips. The junior's exits are ERC-7540 claims: test/vaults/ERC7540Properties.t.sol.
contract ERC4626PropertiesTest is StrataTestBase {
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );

    /// @dev A random live pool: both tranches funded (junior 25–45% of NAV), a loan, elapsed interest, a queued senior
    ///      request, so prices are not 1 and the cash limits bind somewhere.
    function _state(uint256 seed) internal {
        uint256 j = bound(seed, 300_000, 450_000) * USDC;
        uint256 s = bound(seed >> 32, 500_000, 900_000) * USDC;
        _seedLiquidity(s, j);
        _deposit(Tranche.Senior, carol, bound(seed >> 64, 1, 50_000) * USDC);
        _borrow(dave, apes, bound(seed >> 96, 1000, 50_000) * USDC, 60 days);
        vm.warp(block.timestamp + bound(seed >> 128, 0, 50 days));
        _pushPrice(address(apes), _floorA());
        if (seed >> 200 & 1 == 1) {
            uint256 half = senior.balanceOf(carol) / 2 + 1;
            vm.prank(carol);
            senior.requestRedeem(half, carol, carol);
        }
    }

    /// @dev `x` bounded to `[1, min(max, cap)]`, the run discarded when `max` (a vault's `max*` view) is zero.
    function _upTo(uint256 x, uint256 max, uint256 cap) internal pure returns (uint256) {
        vm.assume(max > 0);
        return bound(x, 1, max < cap ? max : cap);
    }

    function _v(bool seniorSide) internal view returns (TrancheVault) {
        return seniorSide ? senior : junior;
    }

    // ------------------------------------------------------------------ views: never revert, caller-independent

    function testFuzz_views_neverRevert_callerIndependent(
        uint256 seed,
        bool seniorSide,
        address caller,
        address anyone,
        uint256 amount
    ) public {
        _state(seed);
        TrancheVault v = _v(seniorSide);
        amount = bound(amount, 0, type(uint128).max);
        assertEq(v.asset(), address(usdc), "asset");
        uint256 ta = v.totalAssets();
        uint256 toShares = v.convertToShares(amount);
        uint256 toAssets = v.convertToAssets(amount);
        vm.startPrank(caller);
        assertEq(v.totalAssets(), ta, "totalAssets depends on the caller");
        assertEq(v.convertToShares(amount), toShares, "convertToShares depends on the caller");
        assertEq(v.convertToAssets(amount), toAssets, "convertToAssets depends on the caller");
        // max* never revert, for any address (the calls below would fail the test if they did).
        v.maxDeposit(anyone);
        v.maxMint(anyone);
        v.maxWithdraw(anyone);
        v.maxRedeem(anyone);
        vm.stopPrank();
    }

    function testFuzz_convert_roundsDown(uint256 seed, bool seniorSide, uint256 amount) public {
        _state(seed);
        TrancheVault v = _v(seniorSide);
        amount = bound(amount, 0, 1e15 * USDC);
        // convertToAssets(convertToShares(a)) <= a: both round down (ERC-4626 "round down").
        assertLe(v.convertToAssets(v.convertToShares(amount)), amount, "convert round trip gained");
    }

    // ------------------------------------------------------------------ deposit / mint (both vaults)

    function testFuzz_deposit_previewAndBalances(uint256 seed, bool seniorSide, uint256 assets, address receiver)
        public
    {
        _state(seed);
        vm.assume(receiver != address(0) && receiver != address(pool));
        TrancheVault v = _v(seniorSide);
        assets = _upTo(assets, v.maxDeposit(dave), 1e12 * USDC);
        uint256 preview = v.previewDeposit(assets);
        vm.assume(preview > 0);
        _fund(dave, assets);
        uint256 assetBefore = usdc.balanceOf(dave);
        uint256 sharesBefore = v.balanceOf(receiver);
        vm.expectEmit(address(v));
        emit Deposit(dave, receiver, assets, preview);
        vm.prank(dave);
        uint256 shares = v.deposit(assets, receiver);
        assertEq(shares, preview, "previewDeposit == shares minted (MUST be no more)");
        assertEq(assetBefore - usdc.balanceOf(dave), assets, "caller paid exactly assets");
        assertEq(v.balanceOf(receiver) - sharesBefore, shares, "receiver got the shares");
    }

    function testFuzz_mint_previewAndBalances(uint256 seed, bool seniorSide, uint256 shares) public {
        _state(seed);
        TrancheVault v = _v(seniorSide);
        shares = _upTo(shares, v.maxMint(dave), 1e24);
        uint256 preview = v.previewMint(shares);
        _fund(dave, preview);
        uint256 before = usdc.balanceOf(dave);
        vm.expectEmit(address(v));
        emit Deposit(dave, dave, preview, shares);
        vm.prank(dave);
        uint256 assets = v.mint(shares, dave);
        assertEq(assets, preview, "previewMint == assets taken (MUST be no fewer)");
        assertEq(before - usdc.balanceOf(dave), assets, "caller paid what mint returned");
    }

    /// @dev ERC-4626: `maxDeposit` is what `deposit` accepts; past it, the deposit reverts.
    function testFuzz_maxDeposit_isAccepted_pastItRefused(uint256 seed, bool seniorSide) public {
        _state(seed);
        TrancheVault v = _v(seniorSide);
        uint256 max = v.maxDeposit(dave);
        vm.assume(max > 0 && max < 1e15 * USDC && v.previewDeposit(max) > 0);
        _fund(dave, max + 1);
        uint256 snap = vm.snapshotState();
        vm.prank(dave);
        v.deposit(max, dave);
        vm.revertToState(snap);
        vm.prank(dave);
        vm.expectRevert();
        v.deposit(max + 1, dave);
    }

    function testFuzz_maxMint_isAccepted(uint256 seed, bool seniorSide) public {
        _state(seed);
        TrancheVault v = _v(seniorSide);
        uint256 max = v.maxMint(dave);
        vm.assume(max > 0 && max < 1e30);
        uint256 cost = v.previewMint(max);
        assertLe(cost, v.maxDeposit(dave), "minting maxMint stays within maxDeposit");
        _fund(dave, cost);
        vm.prank(dave);
        assertEq(v.mint(max, dave), cost);
    }

    // ------------------------------------------------------------------ withdraw / redeem (senior: synchronous)

    function testFuzz_senior_withdraw_previewBalancesEvent(uint256 seed, uint256 assets, bool viaAllowance) public {
        _state(seed);
        assets = _upTo(assets, senior.maxWithdraw(bob), type(uint256).max);
        uint256 preview = senior.previewWithdraw(assets);
        address caller = viaAllowance ? dave : bob;
        if (viaAllowance) {
            vm.prank(bob);
            senior.approve(dave, preview);
        }
        uint256 sharesBefore = senior.balanceOf(bob);
        uint256 assetBefore = usdc.balanceOf(alice);
        vm.expectEmit(address(senior));
        emit Withdraw(caller, alice, bob, assets, preview);
        vm.prank(caller);
        uint256 shares = senior.withdraw(assets, alice, bob);
        assertEq(shares, preview, "previewWithdraw == shares burned (MUST be no fewer)");
        assertEq(sharesBefore - senior.balanceOf(bob), shares, "owner's shares burned");
        assertEq(usdc.balanceOf(alice) - assetBefore, assets, "receiver got exactly assets");
        if (viaAllowance) assertEq(senior.allowance(bob, dave), 0, "allowance spent");
    }

    function testFuzz_senior_redeem_previewBalancesEvent(uint256 seed, uint256 shares, bool viaAllowance) public {
        _state(seed);
        shares = _upTo(shares, senior.maxRedeem(bob), type(uint256).max);
        uint256 preview = senior.previewRedeem(shares);
        vm.assume(preview > 0);
        address caller = viaAllowance ? dave : bob;
        if (viaAllowance) {
            vm.prank(bob);
            senior.approve(dave, shares);
        }
        uint256 assetBefore = usdc.balanceOf(alice);
        vm.expectEmit(address(senior));
        emit Withdraw(caller, alice, bob, preview, shares);
        vm.prank(caller);
        uint256 assets = senior.redeem(shares, alice, bob);
        assertEq(assets, preview, "previewRedeem == assets paid (MUST be no more)");
        assertEq(usdc.balanceOf(alice) - assetBefore, assets, "receiver got the assets");
    }

    /// @dev A spender without allowance cannot exit the owner's shares.
    function testFuzz_senior_exit_withoutAllowance_reverts(uint256 seed, uint256 shares) public {
        _state(seed);
        shares = _upTo(shares, senior.maxRedeem(bob), type(uint256).max);
        vm.assume(senior.previewRedeem(shares) > 0);
        vm.prank(dave);
        vm.expectRevert();
        senior.redeem(shares, dave, bob);
    }

    /// @dev ERC-4626: `maxWithdraw`/`maxRedeem` are accepted; one unit past them is refused.
    function testFuzz_senior_maxExits_accepted_pastRefused(uint256 seed, bool viaRedeem) public {
        _state(seed);
        uint256 snap = vm.snapshotState();
        if (viaRedeem) {
            uint256 max = senior.maxRedeem(bob);
            vm.assume(max > 0 && senior.previewRedeem(max) > 0);
            vm.prank(bob);
            senior.redeem(max, bob, bob);
            vm.revertToState(snap);
            vm.prank(bob);
            vm.expectRevert();
            senior.redeem(max + 1, bob, bob);
        } else {
            uint256 max = senior.maxWithdraw(bob);
            vm.assume(max > 0);
            vm.prank(bob);
            senior.withdraw(max, bob, bob);
            vm.revertToState(snap);
            vm.prank(bob);
            vm.expectRevert();
            senior.withdraw(max + 1, bob, bob);
        }
    }

    // ------------------------------------------------------------------ round trips (a16z RT_*, senior)

    function testFuzz_senior_RT_deposit_redeem(uint256 seed, uint256 assets) public {
        _state(seed);
        assets = _upTo(assets, senior.maxDeposit(dave), 1e12 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        uint256 shares = _deposit(Tranche.Senior, dave, assets);
        vm.assume(shares <= senior.maxRedeem(dave) && senior.previewRedeem(shares) > 0);
        vm.prank(dave);
        assertLe(senior.redeem(shares, dave, dave), assets, "RT deposit->redeem gained");
    }

    function testFuzz_senior_RT_deposit_withdraw(uint256 seed, uint256 assets) public {
        _state(seed);
        assets = _upTo(assets, senior.maxDeposit(dave), 1e12 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        uint256 shares = _deposit(Tranche.Senior, dave, assets);
        // Withdrawing what was deposited needs at least the shares minted (or is refused past maxWithdraw).
        assertGe(senior.previewWithdraw(assets), shares, "RT deposit->withdraw gained");
    }

    function testFuzz_senior_RT_mint_redeem(uint256 seed, uint256 shares) public {
        _state(seed);
        shares = _upTo(shares, senior.maxMint(dave), 1e24);
        uint256 cost = senior.previewMint(shares);
        _fund(dave, cost);
        vm.prank(dave);
        senior.mint(shares, dave);
        vm.roll(block.number + 1);
        vm.assume(shares <= senior.maxRedeem(dave) && senior.previewRedeem(shares) > 0);
        vm.prank(dave);
        assertLe(senior.redeem(shares, dave, dave), cost, "RT mint->redeem gained");
    }

    function testFuzz_senior_RT_redeem_mint(uint256 seed, uint256 shares) public {
        _state(seed);
        shares = _upTo(shares, senior.maxRedeem(bob), type(uint256).max);
        vm.assume(senior.previewRedeem(shares) > 0);
        vm.prank(bob);
        uint256 out = senior.redeem(shares, bob, bob);
        // Buying the shares back costs at least what they paid.
        assertGe(senior.previewMint(shares), out, "RT redeem->mint gained");
    }

    function testFuzz_senior_RT_withdraw_deposit(uint256 seed, uint256 assets) public {
        _state(seed);
        assets = _upTo(assets, senior.maxWithdraw(bob), type(uint256).max);
        vm.prank(bob);
        uint256 burned = senior.withdraw(assets, bob, bob);
        // Depositing the assets back mints at most the shares burned.
        assertLe(senior.previewDeposit(assets), burned, "RT withdraw->deposit gained");
    }

    // ------------------------------------------------------------------ the junior's ERC-4626 side

    /// @dev The junior is ERC-4626 on entry only; its `maxWithdraw`/`maxRedeem` are claimable amounts (ERC-7540),
    ///      zero for a holder that never requested, whatever its balance.
    function testFuzz_junior_holdersHaveNoInstantExit(uint256 seed, uint256 amount) public {
        _state(seed);
        assertGt(junior.balanceOf(alice), 0);
        assertEq(junior.maxWithdraw(alice), 0, "no claimable assets without a served request");
        assertEq(junior.maxRedeem(alice), 0, "no claimable shares without a served request");
        amount = bound(amount, 1, junior.balanceOf(alice));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, alice, amount, 0));
        junior.redeem(amount, alice, alice);
    }
}
