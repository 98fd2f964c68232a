// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {AuctionParams, AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, Impairment, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice `liquidate`: who may start an auction and when (SPEC §3 overdue / health, §7), the impairment it books
///         (SPEC §4), the auction it opens, and `setAuctionParams` bounds.
contract LiquidateTest is LiquidationBase {
    uint256 internal t0;
    uint256 internal loanId;
    uint256 internal tokenId;

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        (loanId, tokenId) = _standardLoan();
    }

    // ------------------------------------------------------------------ overdue (no price needed)

    function test_overdue_liquidatesWithoutFreshPrice() public {
        uint256 dt = 33 days + 1; // maturity (30 d) + grace (3 d) + 1 s
        vm.warp(t0 + dt);
        (,, bool fresh) = oracle.floorPrice(address(apes));
        assertFalse(fresh, "price is stale");
        assertTrue(liquidator.isLiquidatable(loanId));

        uint256 debt = PRINCIPAL + _interest(PRINCIPAL, APR, dt);
        uint256 owed = debt + _bpsUp(debt, PENALTY_A_BPS);
        // The stale floor (100k) is still the reference of the auction.
        uint256 appraisal = 100_000 * USDC;

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionStarted(loanId, keeper, appraisal, owed, 1);
        _liquidate(loanId);

        _assertAuction(loanId, 150_000 * USDC, 50_000 * USDC, owed, t0 + dt, AuctionStatus.Running);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
        assertEq(pool.loan(loanId).impairedAt, t0 + dt, "impairedAt");
        assertEq(apes.ownerOf(tokenId), address(pool), "the pool keeps the NFT through the auction");
        assertEq(apes.balanceOf(address(liquidator)), 0, "the liquidator holds no NFT");
        assertEq(pool.totalPrincipal(), 0);
        assertEq(pool.exposure(address(apes)), 0);
        assertEq(pool.nav(), 950_000 * USDC, "impaired loan left NAV");
        assertEq(liquidator.currentPrice(loanId), 150_000 * USDC);
    }

    function test_overdue_notBeforeGraceEnds() public {
        vm.warp(t0 + 33 days); // exactly maturity + grace: not yet overdue (strict >)
        assertFalse(liquidator.isLiquidatable(loanId));
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, loanId));
        _liquidate(loanId);
        vm.warp(t0 + 33 days + 1);
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
    }

    /// @dev One pool call per liquidation (issue #30): the pool impairs first and the liquidator checks the rule on
    ///      the returned figures. A loan that was not liquidatable reverts the whole call: nothing of the impairment
    ///      (status, NAV, principal, exposure, the NFT's move, the delegation) survives it.
    function test_notLiquidatable_nothingOfTheImpairmentSurvives() public {
        vm.warp(t0 + 33 days); // not overdue, and healthy at a fresh price
        _refresh();
        uint256 nav = pool.nav();
        uint256 principal = pool.totalPrincipal();
        uint256 exposure = pool.exposure(address(apes));
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, loanId));
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Active);
        assertEq(apes.ownerOf(tokenId), address(pool), "the NFT stays in custody");
        assertEq(pool.nav(), nav);
        assertEq(pool.totalPrincipal(), principal);
        assertEq(pool.exposure(address(apes)), exposure);
        assertEq(uint8(liquidator.auction(loanId).status), uint8(AuctionStatus.None));
    }

    /// @dev A collection the pool has no copy of the configuration for (listed before 0.4 and not yet synced): the
    ///      liquidator takes the price source from the registry, so such loans stay liquidatable on health.
    function test_unhealthy_withoutThePoolsCopy_usesTheRegistrysOracle() public {
        _wipePoolCopy(address(apes));
        vm.warp(t0 + 1 days);
        _pushPrice(address(apes), 70_000 * USDC); // 50k debt > 70k × 70 % threshold
        assertTrue(liquidator.isLiquidatable(loanId));
        // The liquidation asks the registry for the price source: the pool's copy is gone.
        vm.expectCall(address(registry), abi.encodeCall(ICollectionRegistry.oracleOf, (address(apes))));
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
        assertEq(liquidator.auction(loanId).startPrice, 105_000 * USDC, "reference: the registry's oracle, 70k");
    }

    function test_overdue_usesTheLoansOwnGracePeriod() public {
        // Governance lengthens the grace period: the live loan keeps the 3 days it was given.
        vm.prank(gov);
        pool.setGracePeriod(10 days);
        vm.warp(t0 + 33 days + 1);
        assertTrue(liquidator.isLiquidatable(loanId));
        (uint256 newLoan,) = _borrowFresh();
        vm.warp(block.timestamp + 33 days + 1);
        assertFalse(liquidator.isLiquidatable(newLoan), "new loan has 10 days of grace");
    }

    function _borrowFresh() internal returns (uint256 id, uint256 tid) {
        _refresh();
        (id, tid) = _borrow(dave, apes, 10_000 * USDC, 30 days);
    }

    // ------------------------------------------------------------------ health (fresh price needed)

    function test_priceCrash_liquidatesUnhealthyLoan() public {
        uint256 dt = 87_600; // a multiple of 876 s: principal * apr * dt is a multiple of YEAR * WAD
        vm.warp(t0 + dt);
        _crashTo(address(apes), 60_000 * USDC);
        uint256 debt = PRINCIPAL + _interest(PRINCIPAL, APR, dt);
        assertEq(debt, PRINCIPAL + 7_812_500, "interest 7.8125 USDC");
        (uint256 h, bool fresh) = liquidator.health(loanId);
        assertTrue(fresh);
        assertEq(h, 42_000 * USDC * WAD / debt, "health = appraisal * threshold / debt");
        assertLt(h, WAD);
        assertTrue(liquidator.isLiquidatable(loanId));

        uint256 owed = debt + _bpsUp(debt, PENALTY_A_BPS);
        _liquidate(loanId);
        _assertAuction(loanId, 90_000 * USDC, 30_000 * USDC, owed, t0 + dt, AuctionStatus.Running);
        assertEq(apes.ownerOf(tokenId), address(pool));
    }

    function test_healthy_reverts() public {
        vm.warp(t0 + 10 days);
        _refresh();
        (uint256 h, bool fresh) = liquidator.health(loanId);
        assertTrue(fresh);
        assertEq(h, 70_000 * USDC * WAD / (PRINCIPAL + _interest(PRINCIPAL, APR, 10 days)));
        assertFalse(liquidator.isLiquidatable(loanId));
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, loanId));
        _liquidate(loanId);
    }

    function test_healthBoundary_debtEqualToLimitIsHealthy() public {
        // No time has elapsed: debt = 50,000 USDC exactly. The rule is strict: `debt > appraisal * threshold`.
        _crashTo(address(apes), 71_430 * USDC);
        assertFalse(liquidator.isLiquidatable(loanId));
        _pushPrice(address(apes), 71_428_571_429); // limit = floor(50,000.0000003) = debt: healthy
        assertFalse(liquidator.isLiquidatable(loanId));
        (uint256 h,) = liquidator.health(loanId);
        assertEq(h, WAD, "health exactly 1");
        _pushPrice(address(apes), 71_428_571_428); // limit = floor(49,999.9999996) < debt: unhealthy
        assertTrue(liquidator.isLiquidatable(loanId));
        (h,) = liquidator.health(loanId);
        assertEq(h, 49_999_999_999 * WAD / PRINCIPAL);
    }

    function test_stalePrice_blocksHealthBasedLiquidation() public {
        _crashTo(address(apes), 60_000 * USDC);
        assertTrue(liquidator.isLiquidatable(loanId));
        vm.warp(block.timestamp + 1 days + 1); // maxAge 1 day
        (uint256 h, bool fresh) = liquidator.health(loanId);
        assertFalse(fresh);
        assertLt(h, WAD, "unhealthy at the stale price");
        assertFalse(liquidator.isLiquidatable(loanId));
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, loanId));
        _liquidate(loanId);
        // A fresh push at the same value re-enables it.
        _pushPrice(address(apes), 60_000 * USDC);
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
    }

    function test_notActive_reverts() public {
        // Never existed: the pool refuses to impair it (one pool call per liquidation, issue #30).
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, 999));
        _liquidate(999);
        // Already liquidating.
        _overdue(loanId);
        _liquidate(loanId);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        _liquidate(loanId);
        // Repaid.
        _refresh();
        (uint256 other,) = _borrow(dave, apes, 10_000 * USDC, 7 days);
        uint256 owed = lens.debt(other);
        _fund(dave, owed);
        vm.prank(dave);
        pool.repay(other, owed);
        vm.warp(block.timestamp + 30 days);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, other));
        _liquidate(other);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, other));
        liquidator.health(other);
    }

    function test_liquidationIgnoresPauses() public {
        vm.startPrank(gov);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(loanId);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
    }

    // ------------------------------------------------------------------ impairment (SPEC §4)

    function test_impairment_navDropsByExactlyTheBookValue() public {
        uint256 dt = 87_600;
        vm.warp(t0 + dt);
        _crashTo(address(apes), 60_000 * USDC);
        uint256 interest = _interest(PRINCIPAL, APR, dt);
        uint256 navBefore = 1_000_000 * USDC + interest;
        assertEq(pool.nav(), navBefore, "NAV before");
        uint256 book = PRINCIPAL + interest; // protocol fee 0: book = debt
        uint256 claim = _claimAfterStandardLoan(dt);
        _assertTranches(claim, navBefore - claim);

        vm.expectEmit(address(pool));
        emit IStrataPool.LoanImpaired(loanId, book, book);
        _liquidate(loanId);

        assertEq(pool.nav(), navBefore - book, "NAV drops by the book value");
        assertEq(pool.cash(), 950_000 * USDC, "cash untouched");
        _assertTranches(claim, navBefore - book - claim);
        assertEq(junior.totalAssets(), 950_000 * USDC - claim, "junior took the whole impairment");
    }

    function test_impairment_netOfProtocolFee() public {
        // A 20 % protocol fee on interest: the loan's book value accrues at apr * 80 %.
        vm.prank(gov);
        pool.setFees(0, 2000);
        (uint256 id,) = _borrow(dave, apes, 20_000 * USDC, 30 days);
        uint256 apr = pool.loan(id).apr;
        uint256 netApr = apr * 8000 / 10_000;
        uint256 start = block.timestamp;
        vm.warp(start + 33 days + 1);
        uint256 dt = block.timestamp - start;
        uint256 navBefore = pool.nav();
        uint256 book = 20_000 * USDC + _interest(20_000 * USDC, netApr, dt);
        uint256 debt = 20_000 * USDC + _interest(20_000 * USDC, apr, dt);
        vm.expectEmit(address(pool));
        emit IStrataPool.LoanImpaired(id, book, debt);
        _liquidate(id);
        // Two active loans: the NAV closed form floors their summed interest, so the drop is
        // 20k + floor((n1 + n2) / D) - floor(n1 / D), within 1 wei of the book value (LoanInterest NatSpec).
        uint256 n1 = PRINCIPAL * APR * (block.timestamp - t0);
        uint256 n2 = 20_000 * USDC * netApr * dt;
        uint256 drop = navBefore - pool.nav();
        assertEq(drop, 20_000 * USDC + (n1 + n2) / (YEAR * WAD) - n1 / (YEAR * WAD), "exact NAV drop");
        assertLe(book - drop, 1, "at most 1 wei of rounding");
        assertEq(liquidator.auction(id).owed, debt + _bpsUp(debt, PENALTY_A_BPS), "owed = debt + penalty");
    }

    function test_impair_onlyLiquidator() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotLiquidator.selector, keeper));
        vm.prank(keeper);
        pool.impair(loanId);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotLiquidator.selector, gov));
        vm.prank(gov);
        pool.impair(loanId);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotLiquidator.selector, keeper));
        vm.prank(keeper);
        pool.completeLiquidation(loanId, 1, keeper);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotLiquidator.selector, gov));
        vm.prank(gov);
        pool.markUnsold(loanId, 0, gov);
    }

    function test_settle_onlyALiquidatingLoan() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotLiquidating.selector, loanId));
        vm.prank(address(liquidator));
        pool.completeLiquidation(loanId, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotLiquidating.selector, loanId));
        vm.prank(address(liquidator));
        pool.markUnsold(loanId, 0, gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId + 1));
        vm.prank(address(liquidator));
        pool.impair(loanId + 1);
    }

    function test_impairment_returnsTheAuctionInputs() public {
        _overdue(loanId);
        uint256 dt = block.timestamp - t0;
        vm.prank(address(liquidator));
        Impairment memory imp = pool.impair(loanId);
        uint256 debt = PRINCIPAL + _interest(PRINCIPAL, APR, dt);
        assertEq(imp.debt, debt);
        assertEq(apes.ownerOf(tokenId), address(pool), "the NFT stays in the pool");
        assertEq(imp.penalty, _bpsUp(debt, PENALTY_A_BPS));
        assertEq(imp.bookValue, debt);
    }

    // ------------------------------------------------------------------ auction parameters

    function test_auctionParams_snapshotAtStart() public {
        _overdue(loanId);
        _liquidate(loanId);
        vm.prank(gov);
        liquidator.setAuctionParams(
            AuctionParams({
                startMultiplierBps: 20_000, endMultiplierBps: 1000, auctionDuration: 1 days, recoveryTimeout: 7 days
            })
        );
        _assertAuction(
            loanId,
            150_000 * USDC,
            50_000 * USDC,
            liquidator.auction(loanId).owed,
            block.timestamp,
            AuctionStatus.Running
        );
    }

    function test_setAuctionParams_governanceOnly() public {
        AuctionParams memory p = AuctionParams(20_000, 4000, 2 days, 14 days);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        vm.prank(guardian);
        liquidator.setAuctionParams(p);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, keeper));
        vm.prank(keeper);
        liquidator.setAuctionParams(p);

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionParamsSet(AuctionParams(15_000, 5000, 3 days, 30 days), p);
        vm.prank(gov);
        liquidator.setAuctionParams(p);
        AuctionParams memory s = liquidator.auctionParams();
        assertEq(s.startMultiplierBps, 20_000);
        assertEq(s.endMultiplierBps, 4000);
        assertEq(s.auctionDuration, 2 days);
        assertEq(s.recoveryTimeout, 14 days);
    }

    function _expectParamRevert(AuctionParams memory p, bytes32 name, uint256 value, uint256 min, uint256 max)
        internal
    {
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.ParameterOutOfBounds.selector, name, value, min, max));
        vm.prank(gov);
        liquidator.setAuctionParams(p);
    }

    function test_setAuctionParams_bounds() public {
        _expectParamRevert(AuctionParams(9999, 5000, 3 days, 30 days), "startMultiplierBps", 9999, 10_000, 50_000);
        _expectParamRevert(AuctionParams(50_001, 5000, 3 days, 30 days), "startMultiplierBps", 50_001, 10_000, 50_000);
        _expectParamRevert(AuctionParams(15_000, 999, 3 days, 30 days), "endMultiplierBps", 999, 1000, 15_000);
        _expectParamRevert(AuctionParams(15_000, 15_001, 3 days, 30 days), "endMultiplierBps", 15_001, 1000, 15_000);
        _expectParamRevert(
            AuctionParams(15_000, 5000, 1 hours - 1, 30 days), "auctionDuration", 1 hours - 1, 1 hours, 30 days
        );
        _expectParamRevert(
            AuctionParams(15_000, 5000, 30 days + 1, 30 days), "auctionDuration", 30 days + 1, 1 hours, 30 days
        );
        _expectParamRevert(
            AuctionParams(15_000, 5000, 3 days, 7 days - 1), "recoveryTimeout", 7 days - 1, 7 days, 365 days
        );
        _expectParamRevert(
            AuctionParams(15_000, 5000, 3 days, 365 days + 1), "recoveryTimeout", 365 days + 1, 7 days, 365 days
        );
        // The recovery timeout is never shorter than the auction itself.
        _expectParamRevert(AuctionParams(15_000, 5000, 20 days, 19 days), "recoveryTimeout", 19 days, 20 days, 365 days);

        // Every bound itself is accepted.
        vm.startPrank(gov);
        liquidator.setAuctionParams(AuctionParams(10_000, 1000, 1 hours, 7 days));
        liquidator.setAuctionParams(AuctionParams(50_000, 50_000, 30 days, 365 days));
        liquidator.setAuctionParams(AuctionParams(10_000, 10_000, 20 days, 20 days));
        vm.stopPrank();
    }

    function test_currentPrice_noAuction_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.currentPrice(loanId);
    }
}
