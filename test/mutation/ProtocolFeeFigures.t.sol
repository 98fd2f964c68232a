// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Auction} from "../../src/interfaces/ILiquidator.sol";
import {Loan, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {MutationBase} from "./MutationBase.sol";

/// @notice Accrual, partial repayment, extension and impairment under a protocol fee, figure by figure (SPEC §3, §4).
/// @dev 18-decimal asset, a 5-token loan and 73 days: `5e18 * apr * 73 days / (365 days * 1e18) = apr` exactly, so
///      the gross interest is `apr` and the pool's share `netApr = floor(apr * (1 - fee))`: each figure is exact and a
///      one-wei slip anywhere (the net APR rounded up, the fee not booked, the gross APR accrued) shows.
contract MutationProtocolFeeTest is MutationBase {
    uint256 internal constant PROTOCOL_FEE_BPS = 1234;
    uint256 internal constant PRINCIPAL = 5e18;
    uint256 internal constant DT = 73 days;

    uint256 internal loanId;
    uint256 internal apr;
    uint256 internal netApr;

    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }

    function setUp() public override {
        super.setUp();
        _setFees(0, PROTOCOL_FEE_BPS);
        // 200,003.7 junior: an odd cash balance, so that utilization and the apr are not round numbers.
        _seedLiquidity(800_000 * _unit(), 200_003.7e18);
        (loanId,) = _borrow(carol, apes, PRINCIPAL, 90 days);
        apr = pool.loan(loanId).apr;
        _assertInexact(apr * (BPS - PROTOCOL_FEE_BPS), BPS, "apr * (1 - protocol fee)");
        netApr = apr * (BPS - PROTOCOL_FEE_BPS) / BPS;
        assertEq(_interest(PRINCIPAL, apr, DT), apr, "the set-up makes the interest equal to the apr");
        _fund(carol, 100 * _unit());
        vm.warp(block.timestamp + DT);
    }

    function test_accrual_isNetOfTheProtocolFee() public view {
        assertEq(pool.nav(), pool.cash() + PRINCIPAL + netApr, "NAV accrues the net apr, rounded down");
        assertEq(pool.protocolFees(), 0, "nothing is booked before a payment");
    }

    function test_partialRepay_figureByFigure() public {
        uint256 cash0 = pool.cash();
        vm.prank(carol);
        uint256 paid = pool.repay(loanId, apr + 1e18);
        assertEq(paid, apr + 1e18);
        assertEq(pool.protocolFees(), apr - netApr, "the protocol's share of the interest");
        assertEq(pool.cash(), cash0 + 1e18 + netApr, "principal paid + the pool's share");
        Loan memory l = pool.loan(loanId);
        assertEq(l.principal, PRINCIPAL - 1e18);
        assertEq(l.start, block.timestamp, "accrual restarts");
        assertEq(pool.nav(), pool.cash() + PRINCIPAL - 1e18);
        vm.warp(block.timestamp + 10 days);
        uint256 netAccrued = (PRINCIPAL - 1e18) * netApr * 10 days / (YEAR * WAD);
        assertEq(pool.nav(), pool.cash() + PRINCIPAL - 1e18 + netAccrued);
        assertEq(lens.debt(loanId), PRINCIPAL - 1e18 + _interest(PRINCIPAL - 1e18, apr, 10 days));

        uint256 fees = pool.protocolFees();
        pool.payProtocolFees();
        assertEq(usdc.balanceOf(treasury), fees);
        assertEq(usdc.balanceOf(address(pool)), pool.cash(), "the pool holds its cash and nothing else");
    }

    function test_extend_figureByFigure() public {
        _refreshPrices();
        uint256 cash0 = pool.cash();
        uint256 carol0 = usdc.balanceOf(carol);
        vm.prank(carol);
        uint256 newApr = pool.extend(loanId, 30 days, type(uint256).max);
        assertEq(carol0 - usdc.balanceOf(carol), apr, "the interest is paid");
        assertEq(pool.cash(), cash0 + netApr, "the pool keeps its share");
        assertEq(pool.protocolFees(), apr - netApr, "the protocol books its share");
        Loan memory l = pool.loan(loanId);
        assertEq(l.apr, newApr);
        assertEq(l.start, block.timestamp);
        assertEq(l.maturity, block.timestamp + 30 days);
        assertEq(l.principal, PRINCIPAL, "extension leaves the principal");
        uint256 newNet = newApr * (BPS - PROTOCOL_FEE_BPS) / BPS;
        vm.warp(block.timestamp + 10 days);
        assertEq(pool.nav(), pool.cash() + PRINCIPAL + PRINCIPAL * newNet * 10 days / (YEAR * WAD), "net new apr");
    }

    function test_impair_bookIsNetOfTheProtocolFee_penaltyRoundsUp() public {
        Loan memory l = pool.loan(loanId);
        _mockAppraisal(l, uint256(1e18));
        vm.prank(keeper);
        liquidator.liquidate(loanId);
        assertEq(pool.loan(loanId).principal, PRINCIPAL + netApr, "book = principal + the pool's share of interest");
        uint256 debt = PRINCIPAL + apr;
        _assertInexact(debt * l.liquidationPenaltyBps, BPS, "debt * penalty");
        Auction memory a = liquidator.auction(loanId);
        assertEq(a.owed, debt + _ceilDiv(debt * l.liquidationPenaltyBps, BPS), "owed = debt + penalty rounded up");
        assertEq(
            pool.trancheDepositValue(Tranche.Junior) + pool.trancheDepositValue(Tranche.Senior),
            pool.nav() + PRINCIPAL + netApr,
            "deposits are priced with the book value of the loan in liquidation"
        );
    }
}
