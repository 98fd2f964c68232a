// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Loan, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {MutationBase} from "./MutationBase.sol";

/// @notice An origination fee that does not divide the principal: the fee rounds up (SPEC §2), and the rate is the curve at
///         the utilization after the loan with only `principal - fee` leaving the pool (SPEC §3). 6 and 18 decimals.
abstract contract OriginationFeeBase is MutationBase {
    uint256 internal constant ORIGINATION_FEE_BPS = 37;

    function setUp() public override {
        super.setUp();
        _setFees(ORIGINATION_FEE_BPS, 0);
        _seedLiquidity(800_000 * _unit(), 200_000 * _unit() + 11);
    }

    function test_originationFee_roundsUp_rateSeesOnlyTheCashOut() public {
        uint256 cash0 = pool.cash();
        uint256 p = 12_346 * _unit() + 7;
        _assertInexact(p * ORIGINATION_FEE_BPS, BPS, "principal * fee");
        uint256 fee = _ceilDiv(p * ORIGINATION_FEE_BPS, BPS);
        (uint256 loanId,) = _borrow(carol, apes, p, 30 days);
        assertEq(usdc.balanceOf(carol), p - fee, "the borrower gets the principal less the fee rounded up");
        assertEq(pool.cash(), cash0 - (p - fee), "the fee stays in the pool");
        // Utilization after the loan: p borrowed over p + (cash0 - (p - fee)), rounded up; then the apes curve
        // below its kink: 5 % + 10 % * U / 80 %, rounded up.
        _assertInexact(p * WAD, cash0 + fee, "utilization");
        uint256 u = _ceilDiv(p * WAD, cash0 + fee);
        _assertInexact(0.1e18 * u, 0.8e18, "slope1 * U / kink");
        assertEq(pool.loan(loanId).apr, 0.05e18 + _ceilDiv(0.1e18 * u, 0.8e18));
    }
}

contract MutationOriginationFee6Test is OriginationFeeBase {}

contract MutationOriginationFee18Test is OriginationFeeBase {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}

/// @notice A loss larger than the junior leaves the senior impaired: it refuses deposits even when governance has set
///         the junior ratio to 0 (SPEC §5: no dilution of the existing seniors' recovery), and the wiped-out junior
///         refuses them too.
contract MutationImpairedSeniorTest is MutationBase {
    function setUp() public override {
        super.setUp();
        _seedLiquidity(100_000 * _unit(), 25_000 * _unit());
    }

    function test_impairedSenior_refusesDeposits_evenAtZeroRatio() public {
        (uint256 loanId,) = _borrow(carol, apes, 50_000 * _unit(), 30 days);
        Loan memory l = pool.loan(loanId);
        _mockAppraisal(l, 1000 * _unit());
        vm.prank(keeper);
        liquidator.liquidate(loanId);
        vm.warp(block.timestamp + liquidator.auctionParams().auctionDuration);
        uint256 price = liquidator.currentPrice(loanId);
        _fund(dave, price);
        vm.prank(dave);
        liquidator.buy(loanId, price);

        assertLt(pool.trancheValue(Tranche.Senior), pool.seniorClaim(), "the senior is impaired");
        assertEq(pool.trancheValue(Tranche.Junior), 0, "the junior is wiped out");
        _setRatio(0);
        assertEq(pool.maxDeposit(Tranche.Senior), 0, "impaired senior: no deposits, whatever the ratio");
        assertEq(senior.maxDeposit(dave), 0);
        assertEq(pool.maxDeposit(Tranche.Junior), 0, "wiped-out junior with shares outstanding: no deposits");
        _setRatio(2000);
        assertEq(pool.maxDeposit(Tranche.Senior), 0);
    }
}
