// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice A loss larger than the whole junior tranche (SPEC §5): the junior goes to zero, the senior takes the rest,
///         its shortfall stays owed, and later recoveries restore the senior first.
contract ShortfallTest is LiquidationBase {
    uint256 internal constant SMALL_PRINCIPAL = 50_000 * USDC;
    // U = 50k / 100k = 50 %: apr = 5 % + 10 % * 0.5 / 0.8 = 11.25 %.
    uint256 internal constant SMALL_APR = 0.1125e18;
    // 50,000e6 * 0.1125e18 * 876,000 is a multiple of YEAR * WAD: interest 156.25 USDC exactly.
    uint256 internal constant DT = 876_000;

    function _seed() internal override {
        _seedLiquidity(80_000 * USDC, 20_000 * USDC);
    }

    function test_shortfallBiggerThanJunior_thenRecovery() public {
        uint256 t0 = block.timestamp;
        (uint256 loanId, uint256 tokenId) = _borrow(carol, apes, SMALL_PRINCIPAL, 30 days);
        assertEq(pool.loan(loanId).apr, SMALL_APR);
        vm.warp(t0 + DT);
        uint256 book = SMALL_PRINCIPAL + _interest(SMALL_PRINCIPAL, SMALL_APR, DT);
        assertEq(book, 50_156_250_000);
        assertEq(pool.nav(), 100_000 * USDC + 156_250_000, "NAV before, exact accrual");

        // Floor 100k -> 60k -> 36k -> 30k, each push inside the 50 % deviation bound.
        _crashTo(address(apes), 30_000 * USDC);
        _liquidate(loanId);
        // Impairment: NAV = cash = 50k < senior claim: the junior is gone at once, the senior is short.
        // 50k of 100k lent: the claim accrued 5 % x 50 % (SPEC §5.1) until the impairment, nothing since.
        uint256 claim = _compound(80_000 * USDC, _accrualRate(SMALL_PRINCIPAL, 50_000 * USDC), DT);
        assertEq(claim, 80_055_574_850, "claim: 80k at 2.5 % for 876,000 s");
        _assertTranches(50_000 * USDC, 0);
        assertEq(pool.maxDeposit(Tranche.Senior), 0, "impaired senior refuses deposits");
        assertEq(pool.maxDeposit(Tranche.Junior), 0, "wiped-out junior refuses deposits");

        // Nobody buys above the end price: 30k * 0.5 = 15k after 3 days.
        vm.warp(t0 + DT + AUCTION_DURATION);
        assertEq(_buy(buyer, loanId), 15_000 * USDC);
        assertEq(apes.ownerOf(tokenId), buyer);
        assertEq(liquidator.claimable(carol), 0);
        assertEq(pool.seniorClaim(), claim, "nothing lent since the impairment: no accrual");
        // Loss = book - 15k = 35,156.25 > junior (20k + its share of the interest): the senior absorbs the rest.
        _assertTranches(65_000 * USDC, 0);
        assertEq(pool.seniorClaim(), claim, "the shortfall stays owed");
        _assertSolvent();

        // Recoveries go to the senior first: 10k -> senior 75k, junior still 0.
        _fund(gov, 100_000 * USDC);
        vm.prank(gov);
        pool.recover(10_000 * USDC);
        _assertTranches(75_000 * USDC, 0);
        // 40k more -> NAV 115k > claim: the senior is whole again, the junior gets the residual.
        vm.prank(gov);
        pool.recover(40_000 * USDC);
        _assertTranches(claim, 115_000 * USDC - claim);
        assertEq(
            pool.maxDeposit(Tranche.Senior),
            (115_000 * USDC - claim) * 10_000 / 2000 - 115_000 * USDC,
            "whole again: senior deposits reopen up to subordination"
        );
        assertGt(pool.maxDeposit(Tranche.Junior), 0, "junior has value again: deposits reopen");
        _assertSolvent();
    }
}
