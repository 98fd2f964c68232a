// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice ERC-4626 round trips never gain (#12 part 5, SPEC §9.5), on both vaults, from an empty and a non-empty
///         vault: redeem→mint, withdraw→deposit, redeem→deposit, withdraw→mint. Before the fix a senior exit cut the
///         claim by `claim·s/S` while the vault paid `s·(claim+1)/(S+10⁶)`: every senior exit lowered the senior share
///         price (the junior gained the difference) and buying back right after cost less than the exit paid. Now the
///         claim falls by exactly what is paid while the senior is whole: the price never falls on an exit.
///         The junior's exits are notice requests (SPEC §5): its round trips are request→serve→claim, with the
///         re-entry in the block of service (a full service is a redeem, a partial one a withdraw of the cash left).
contract RoundTripFuzzTest is StrataTestBase {
    address internal lender = makeAddr("lender");

    /// @dev 1M junior (alice); unless `empty`, four senior deposits (bob, carol) and a loan; then a long accrual.
    function _state(uint256 seed, bool empty) internal {
        _deposit(Tranche.Junior, alice, 1_000_000 * USDC);
        if (!empty) {
            _deposit(Tranche.Senior, bob, bound(seed, 1, 100_000 * USDC));
            _deposit(Tranche.Senior, carol, bound(seed >> 40, 1, 30_000 * USDC));
            _deposit(Tranche.Senior, bob, bound(seed >> 80, 1, 1000 * USDC));
            _deposit(Tranche.Senior, carol, bound(seed >> 120, 1, 30_000 * USDC));
            _borrow(dave, apes, 40_000 * USDC, 90 days);
        }
    }

    function _accrue(uint256 seed) internal {
        vm.warp(block.timestamp + bound(seed >> 160, 0, 730 days));
        _pushPrice(address(apes), _floorA());
    }

    /// @dev The senior price, as the vault prices exits: `(totalAssets + 1) / (supply + 10^6)`, cross-multiplied.
    ///      Not after the last exit: an empty vault is back at the initial price (its rounding dust went to the
    ///      junior, the only place it can go).
    function _assertSeniorPriceNotLower(uint256 assetsBefore, uint256 supplyBefore) internal view {
        if (senior.totalSupply() == 0) return;
        uint256 v = 10 ** senior.DECIMALS_OFFSET();
        assertGe(
            (senior.totalAssets() + 1) * (supplyBefore + v),
            (assetsBefore + 1) * (senior.totalSupply() + v),
            "a senior exit never lowers the senior share price"
        );
    }

    // ------------------------------------------------------------------ senior

    function testFuzz_senior_redeemThenMint(uint256 seed, uint256 assets, uint256 part, bool empty) public {
        _state(seed, empty);
        assets =
            bound(assets, 1, senior.maxDeposit(lender) < 200_000 * USDC ? senior.maxDeposit(lender) : 200_000 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        uint256 shares = _deposit(Tranche.Senior, lender, assets);
        _accrue(seed);
        uint256 s = bound(part, 1, shares);
        vm.assume(senior.previewRedeem(s) > 0 && s <= senior.maxRedeem(lender));
        (uint256 ta, uint256 supply, uint256 j) = (senior.totalAssets(), senior.totalSupply(), junior.totalAssets());
        vm.prank(lender);
        uint256 paid = senior.redeem(s, lender, lender);
        _assertSeniorPriceNotLower(ta, supply);
        if (senior.totalSupply() != 0) assertEq(junior.totalAssets(), j, "the junior gains nothing from the exit");
        if (senior.totalSupply() == 0) return; // the last exit: an empty vault starts over at the initial price
        uint256 cost = senior.previewMint(s);
        assertGe(cost, paid, "minting the shares back costs at least what redeeming them paid");
        if (cost <= senior.maxDeposit(lender)) {
            _fund(lender, cost);
            vm.prank(lender);
            assertEq(senior.mint(s, lender), cost);
        }
    }

    function testFuzz_senior_withdrawThenDeposit(uint256 seed, uint256 assets, uint256 part, bool empty) public {
        _state(seed, empty);
        assets =
            bound(assets, 1, senior.maxDeposit(lender) < 200_000 * USDC ? senior.maxDeposit(lender) : 200_000 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        _deposit(Tranche.Senior, lender, assets);
        _accrue(seed);
        uint256 max = senior.maxWithdraw(lender);
        vm.assume(max > 0);
        uint256 a = bound(part, 1, max);
        (uint256 ta, uint256 supply) = (senior.totalAssets(), senior.totalSupply());
        vm.prank(lender);
        uint256 burned = senior.withdraw(a, lender, lender);
        _assertSeniorPriceNotLower(ta, supply);
        if (senior.totalSupply() == 0 || a > senior.maxDeposit(lender)) return; // emptied: starts over
        vm.prank(lender);
        uint256 minted = senior.deposit(a, lender);
        assertLe(minted, burned, "depositing what was withdrawn mints at most the shares burned");
    }

    function testFuzz_senior_redeemThenDeposit(uint256 seed, uint256 assets, uint256 part, bool empty) public {
        _state(seed, empty);
        assets =
            bound(assets, 1, senior.maxDeposit(lender) < 200_000 * USDC ? senior.maxDeposit(lender) : 200_000 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        uint256 shares = _deposit(Tranche.Senior, lender, assets);
        _accrue(seed);
        uint256 s = bound(part, 1, shares);
        vm.assume(senior.previewRedeem(s) > 0 && s <= senior.maxRedeem(lender));
        vm.prank(lender);
        uint256 paid = senior.redeem(s, lender, lender);
        if (senior.totalSupply() == 0 || paid > senior.maxDeposit(lender) || senior.previewDeposit(paid) == 0) return;
        vm.prank(lender);
        uint256 minted = senior.deposit(paid, lender);
        assertLe(minted, s, "depositing what a redeem paid mints at most the shares redeemed");
    }

    function testFuzz_senior_withdrawThenMint(uint256 seed, uint256 assets, uint256 part, bool empty) public {
        _state(seed, empty);
        assets =
            bound(assets, 1, senior.maxDeposit(lender) < 200_000 * USDC ? senior.maxDeposit(lender) : 200_000 * USDC);
        vm.assume(senior.previewDeposit(assets) > 0);
        _deposit(Tranche.Senior, lender, assets);
        _accrue(seed);
        uint256 max = senior.maxWithdraw(lender);
        vm.assume(max > 0);
        uint256 a = bound(part, 1, max);
        vm.prank(lender);
        uint256 burned = senior.withdraw(a, lender, lender);
        if (senior.totalSupply() == 0) return; // emptied: starts over at the initial price
        assertGe(senior.previewMint(burned), a, "minting the burned shares back costs at least what was withdrawn");
    }

    /// @dev The fuzzer's counterexample under the old pro-rata claim reduction (`claim·s/S` on every exit): the exit
    ///      lowered the senior share price (23,043,509,745,718,803,433,503,000,000 < ...720,388,315,115,623,920 in the
    ///      cross-multiplied form). Kept as a fixed regression.
    function test_senior_redeemThenMint_oldRuleCounterexample() public {
        testFuzz_senior_redeemThenMint(
            79_125_919_251_307_349_894_301_872_503_571_248_070_604_293_416_480_692_372,
            35_197_161_463_870_398_184_199_226_050,
            5_279_674_744_545_254_721_238_156_736_744_643_623_150_498_396_949_615,
            true
        );
    }

    /// @dev Regression (passes under both rules: the per-exit leak here is below the old rule's rounding in favour of
    ///      the remaining seniors): the deposits of the issue's measured case: 1M junior, senior deposits of 98,912.149780 / 20,188.507195 /
    ///      0.000581 / 21,053.913819 from an empty senior vault, a long accrual, redeems then mints back.
    function test_senior_roundTrip_measuredCases() public {
        _deposit(Tranche.Junior, alice, 1_000_000 * USDC);
        _deposit(Tranche.Senior, bob, 98_912_149_780);
        _deposit(Tranche.Senior, carol, 20_188_507_195);
        _deposit(Tranche.Senior, lender, 581);
        _deposit(Tranche.Senior, dave, 21_053_913_819);
        vm.warp(block.timestamp + 700 days);
        for (uint256 i; i < 4; ++i) {
            address who = [bob, carol, lender, dave][i];
            uint256 s = senior.balanceOf(who) / 3 + 12_345;
            (uint256 ta0, uint256 supply0, uint256 j0) =
                (senior.totalAssets(), senior.totalSupply(), junior.totalAssets());
            vm.prank(who);
            uint256 paid = senior.redeem(s, who, who);
            _assertSeniorPriceNotLower(ta0, supply0);
            assertEq(junior.totalAssets(), j0, "measured case: nothing leaks to the junior");
            assertGe(senior.previewMint(s), paid, "measured case: no cheaper buy-back");
        }
        // A near-total exit by the last holders.
        uint256 sBob = senior.balanceOf(bob) * 99_995 / 100_000;
        (uint256 ta, uint256 supply) = (senior.totalAssets(), senior.totalSupply());
        vm.prank(bob);
        uint256 out = senior.redeem(sBob, bob, bob);
        _assertSeniorPriceNotLower(ta, supply);
        assertGe(senior.previewMint(sBob), out, "near-total exit: no cheaper buy-back");
    }

    /// @dev Regression: a sole senior holder redeems 99.995 % after a long accrual (the issue measured a 500-unit
    ///      cheaper buy-back in its setting; here both rules pass, the fuzz tests and the counterexample above do not).
    function test_senior_soleHolderNearTotalExit_noCheaperBuyBack() public {
        _deposit(Tranche.Junior, alice, 1_000_000 * USDC);
        uint256 shares = _deposit(Tranche.Senior, lender, 100_000 * USDC);
        vm.warp(block.timestamp + 700 days);
        uint256 s = shares * 99_995 / 100_000;
        (uint256 ta, uint256 supply, uint256 j) = (senior.totalAssets(), senior.totalSupply(), junior.totalAssets());
        vm.prank(lender);
        uint256 paid = senior.redeem(s, lender, lender);
        _assertSeniorPriceNotLower(ta, supply);
        assertEq(junior.totalAssets(), j, "nothing leaks to the junior");
        assertGe(senior.previewMint(s), paid, "no cheaper buy-back");
        assertGe(senior.previewRedeem(shares - s) + paid + 1, ta * shares / (supply + 1e6), "the rest keeps its worth");
    }

    // ------------------------------------------------------------------ junior (request -> serve -> claim)

    /// @dev `lender` requests `s` junior shares; after the notice the queue serves them (in part when `cashLimited`:
    ///      then the service is a withdraw of exactly the servable cash). Returns the shares burned and assets served.
    function _juniorServe(uint256 s, bool cashLimited) internal returns (uint256 burned, uint256 served) {
        vm.prank(lender);
        uint256 id = junior.requestRedeem(s, lender, lender);
        vm.warp(block.timestamp + junior.noticePeriod());
        _pushPrice(address(apes), _floorA());
        if (cashLimited) {
            // Lend out all but a part of the request's value: the head is served in part.
            uint256 value = junior.convertToAssets(s);
            uint256 avail = pool.availableCash();
            uint256 keep = value / 2;
            uint256 lend = avail > keep ? avail - keep : 0;
            while (lend > 0) {
                uint256 p = lend < 50_000 * USDC ? lend : 50_000 * USDC;
                _borrow(dave, apes, p, 30 days);
                lend -= p;
            }
        }
        junior.processQueue(1);
        ITrancheVault.RedemptionRequest memory r = junior.redeemRequest(id);
        (burned, served) = (r.claimableShares, r.claimableAssets);
        if (served > 0) {
            assertEq(junior.maxRedeem(lender), burned, "the served shares are claimable");
            vm.prank(lender);
            assertEq(junior.redeem(burned, lender, lender), served, "the claim pays what was served");
        }
    }

    function testFuzz_junior_serveThenMintOrDeposit(
        uint256 seed,
        uint256 assets,
        uint256 part,
        bool empty,
        bool cashLimited,
        bool viaMint
    ) public {
        if (empty) {
            assets = bound(assets, 2, 1_000_000 * USDC);
        } else {
            _state(seed, false);
            assets = bound(assets, 2, 200_000 * USDC);
        }
        uint256 shares = _deposit(Tranche.Junior, lender, assets);
        _accrue(seed);
        uint256 s = bound(part, 1, shares);
        vm.assume(junior.convertToAssets(s) > 1);
        (uint256 burned, uint256 served) = _juniorServe(s, cashLimited);
        vm.assume(burned > 0 && served > 0);
        if (viaMint) {
            assertGe(junior.previewMint(burned), served, "minting the served shares back costs at least their pay");
        } else {
            assertLe(junior.previewDeposit(served), burned, "depositing the pay mints at most the shares served");
        }
    }
}
