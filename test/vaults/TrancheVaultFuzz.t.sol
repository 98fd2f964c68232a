// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Fuzz properties of the tranche vaults (SPEC §5), for a 6-decimal asset; the 18-decimal run inherits it.
contract TrancheVaultFuzzTest is StrataTestBase {
    using FixedPointMath for uint256;

    function _unit() internal pure returns (uint256) {
        return 10 ** _assetDecimals();
    }

    /// @dev A pool with both tranches, a live loan and some elapsed time, so prices are not trivially 1.
    function _livePool(uint256 seed) internal {
        uint256 u = _unit();
        _seedLiquidity(800_000 * u, 200_000 * u);
        _borrow(carol, apes, bound(seed, 1000 * u, 50_000 * u), 60 days);
        vm.warp(block.timestamp + bound(seed >> 64, 0, 50 days));
        _pushPrice(address(apes), _floorA());
    }

    function testFuzz_roundTrip_depositRedeem_neverGains(uint256 seed, uint256 assets, bool seniorSide) public {
        _livePool(seed);
        Tranche t = seniorSide ? Tranche.Senior : Tranche.Junior;
        uint256 max = _vault(t).maxDeposit(dave);
        vm.assume(max > 0);
        assets = bound(assets, 1, max < 1e15 * _unit() ? max : 1e15 * _unit());
        vm.assume(_vault(t).previewDeposit(assets) > 0);
        uint256 shares = _deposit(t, dave, assets);
        // The junior has no preview of an exit (ERC-7540): its shares are worth `convertToAssets` until served.
        uint256 out = seniorSide ? senior.previewRedeem(shares) : junior.convertToAssets(shares);
        assertLe(out, assets, "deposit then redeem never returns more than deposited");
        if (seniorSide && out > 0 && shares <= senior.maxRedeem(dave)) {
            vm.prank(dave);
            assertEq(_vault(t).redeem(shares, dave, dave), out);
        }
    }

    function testFuzz_roundTrip_mintWithdraw_neverGains(uint256 seed, uint256 shares) public {
        _livePool(seed);
        shares = bound(shares, 1, 1e12 * _unit() * 1e6);
        uint256 assetsIn = junior.previewMint(shares);
        _fund(dave, assetsIn);
        vm.prank(dave);
        junior.mint(shares, dave);
        uint256 sharesForSameAssets = _juniorSharesFor(assetsIn);
        assertGe(sharesForSameAssets, shares, "withdrawing what was paid burns at least what was minted");
    }

    function testFuzz_sharePrice_unmovedByOtherTranche(uint256 seed, uint256 amount, bool depositSenior) public {
        _livePool(seed);
        uint256 seniorPrice = senior.convertToAssets(1e18);
        uint256 juniorPrice = junior.convertToAssets(1e18);
        if (depositSenior) {
            uint256 max = senior.maxDeposit(dave);
            vm.assume(max > 0);
            _deposit(Tranche.Senior, dave, bound(amount, 1, max));
            assertEq(junior.convertToAssets(1e18), juniorPrice, "senior deposit moves no junior price");
        } else {
            _deposit(Tranche.Junior, dave, bound(amount, 1, 1e9 * _unit()));
            assertEq(senior.convertToAssets(1e18), seniorPrice, "junior deposit moves no senior price");
            // And a junior exit (a notice request, served within limits) leaves the senior price too.
            assertEq(junior.maxWithdraw(dave), 0, "no instant junior exit");
            uint256 half = junior.balanceOf(dave) / 2 + 1;
            vm.prank(dave);
            junior.requestRedeem(half, dave, dave);
            vm.warp(block.timestamp + junior.noticePeriod());
            seniorPrice = senior.convertToAssets(1e18);
            junior.processQueue(1);
            assertEq(senior.convertToAssets(1e18), seniorPrice, "junior service moves no senior price");
        }
    }

    /// @dev A senior exit takes its pro-rata share of the claim and never more: the claim per remaining share does
    ///      not fall, and the junior never pays (the virtual-share dust of the exit stays in the pool).
    function testFuzz_seniorExit_keepsClaimPerShare(uint256 seed, uint256 shares) public {
        _livePool(seed);
        uint256 supply = senior.totalSupply();
        uint256 claim = pool.seniorClaim();
        uint256 juniorBefore = junior.totalAssets();
        shares = bound(shares, 1, senior.maxRedeem(bob).min(supply - 1));
        vm.assume(senior.previewRedeem(shares) > 0);
        uint256 paid = senior.previewRedeem(shares);
        vm.prank(bob);
        senior.redeem(shares, bob, bob);
        assertGe(pool.seniorClaim() * supply, claim * (supply - shares), "claim per remaining share kept");
        assertLe(paid * supply, claim * shares, "the exit is paid at most its pro-rata claim");
        assertGe(junior.totalAssets(), juniorBefore, "the junior never pays for a senior exit");
    }

    /// @dev `senior + junior == NAV` and `senior <= claim` under random income, losses and time.
    function testFuzz_waterfall_sumsToNav(uint256 seed, uint256 income, uint256 dt, uint256 crash) public {
        _livePool(seed);
        uint256 u = _unit();
        // Income booked into the pool.
        income = bound(income, 0, 500_000 * u);
        if (income > 0) {
            _fund(dave, income);
            vm.prank(dave);
            pool.recover(income);
        }
        // Losses: a big loan impaired after a price crash.
        (uint256 loanId,) = _borrow(dave, apes, 50_000 * u, 30 days);
        vm.warp(block.timestamp + bound(dt, 0, 3 * 365 days));
        _pushPrice(address(apes), _floorA());
        if (crash % 2 == 1) {
            _pushPrice(address(apes), _floorA() / 2);
            _pushPrice(address(apes), _floorA() / 4);
            vm.prank(keeper);
            liquidator.liquidate(loanId);
        }
        uint256 nav = pool.nav();
        uint256 s = senior.totalAssets();
        uint256 j = junior.totalAssets();
        assertEq(s + j, nav, "senior + junior == NAV");
        assertLe(s, pool.seniorClaim(), "senior never above its claim");
        if (j > 0) assertEq(s, pool.seniorClaim(), "the senior loses nothing while the junior has value");
    }
}

/// @notice The same properties with an 18-decimal asset.
contract TrancheVaultFuzz18Test is TrancheVaultFuzzTest {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}
