// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../interest/LoanInterest.sol";
import {RateCurveLib} from "../interest/RateCurve.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {CollectionParams, IStrataPool, Loan, LoanStatus} from "../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";

/// @notice What a borrow of `principal` for `duration` would cost now.
struct Quote {
    uint256 apr;
    uint256 originationFee;
    uint256 amountReceived;
    uint256 interestAtMaturity;
    uint256 repayAtMaturity;
}

/// @title StrataLens
/// @notice Read-only answers for borrowers, keepers and front ends (SPEC §3): what a loan owes now and what a new
///         loan would cost. Stateless and not upgradeable (deploy a new one freely); it composes the same libraries
///         the pool uses (`LoanInterest`, `RateCurveLib`), so its figures equal what `repay` and `borrow` charge.
/// @dev Lives outside the pool to keep the pool under the EIP-170 code-size limit.
contract StrataLens {
    using FixedPointMath for uint256;

    /// @notice The pool this lens reads.
    IStrataPool public immutable pool;

    constructor(IStrataPool pool_) {
        pool = pool_;
    }

    /// @notice What closes active loan `loanId` now: principal + interest (+ the late fee past maturity), exactly
    ///         what `repay(loanId, type(uint256).max)` takes.
    function debt(uint256 loanId) external view returns (uint256) {
        Loan memory l = pool.loan(loanId);
        if (l.status != LoanStatus.Active) revert IStrataPool.LoanNotActive(loanId);
        return l.principal + LoanInterest.interest(l.principal, l.apr, block.timestamp - l.start)
            + LoanInterest.lateFee(l.principal, l.lateFeeBps, l.maturity, block.timestamp);
    }

    /// @notice The terms a borrow of `principal` for `duration` against `collection` would get now (before the
    ///         per-token checks: ownership, rarity, LTV, price freshness).
    function quote(address collection, uint256 principal, uint256 duration) external view returns (Quote memory q) {
        (CollectionParams memory c, bool listed,) = ICollectionRegistry(pool.registry()).collection(collection);
        if (!listed) revert IStrataPool.CollectionNotListed(collection);
        if (principal == 0) revert IStrataPool.ZeroAmount();
        if (duration < c.minDuration || duration > c.maxDuration) {
            revert IStrataPool.DurationOutOfRange(duration, c.minDuration, c.maxDuration);
        }
        uint256 available = pool.availableCash();
        if (principal > available) revert IStrataPool.InsufficientCash(principal, available);
        (,, uint256 originationFeeBps,,,) = pool.parameters();
        q.originationFee = principal.bpsUp(originationFeeBps); // as `borrow`: rounded up (SPEC §2)
        q.amountReceived = principal - q.originationFee;
        q.apr = RateCurveLib.apr(c.curve, pool.borrowUtilization(principal, q.amountReceived));
        q.interestAtMaturity = LoanInterest.interest(principal, q.apr, duration);
        q.repayAtMaturity = principal + q.interestAtMaturity;
    }
}
