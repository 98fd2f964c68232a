// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {RateCurve} from "../../src/interest/RateCurve.sol";
import {CollectionParams, Loan} from "../../src/interfaces/IStrataPool.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Lenders and borrowers over a year (issue: borrowing): deposits in both tranches, 20 loans on two
///         collections with different curves, repayments at various times (some in the grace period, with a late
///         fee), and one year later the senior has exactly its 5 % (continuously compounded, Taylor) and the junior
///         exactly the rest. Every figure is recomputed here from first principles: the curve, the utilization, simple
///         interest rounded up, late fees: none of it read back from the pool.
contract LendingScenarioTest is StrataTestBase {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant YEAR = 365 days;

    struct Model {
        uint256 cash;
        uint256 principal;
        uint256 income;
        // SPEC §5.1: the senior claim, checkpointed at every change of principal or cash, accrues in between at the
        // senior rate times the utilization that held.
        uint256 claim;
        uint256 claimAt;
    }

    struct Planned {
        uint256 id;
        uint256 principal;
        uint256 apr;
        uint256 start;
        uint256 maturity;
        uint256 lateFeeBps;
        bool repaid;
    }

    Model internal m;
    Planned[] internal loans;

    function test_yearOfLending_seniorGetsItsRate_juniorTheRest() public {
        uint256 t0 = block.timestamp;
        _seedLiquidity(700_000 * USDC, 300_000 * USDC);
        m.cash = 1_000_000 * USDC;
        m.claim = 700_000 * USDC;
        m.claimAt = t0;

        // 20 loans over the first 20 days: apes (curve A) and punks (curve B) alternate.
        for (uint256 i; i < 20; ++i) {
            bool ape = i % 2 == 0;
            uint256 principal = ape ? 20_000 * USDC + i * 731 * USDC : 6000 * USDC + i * 503 * USDC;
            uint256 duration = ape ? 30 days + i * 2 days : 14 days + i * 1 days;
            _open(ape ? apes : punks, ape ? _paramsA() : _paramsB(), principal, duration);
            vm.warp(block.timestamp + 1 days);
            _pushPrices();
        }

        // Repayments at various times: most at or before maturity, every fifth one during the grace period.
        for (uint256 day = 20; day < 120; ++day) {
            for (uint256 i; i < loans.length; ++i) {
                Planned storage l = loans[i];
                if (l.repaid) continue;
                uint256 due = i % 5 == 4 ? l.maturity + 2 days : l.maturity - (i % 3) * 1 days;
                if (block.timestamp >= due) _close(l);
            }
            vm.warp(block.timestamp + 1 days);
        }
        for (uint256 i; i < loans.length; ++i) {
            assertTrue(loans[i].repaid, "every loan repaid");
        }

        // One year after the deposits.
        vm.warp(t0 + YEAR);
        _checkpointClaim();
        uint256 seniorClaim = m.claim;
        uint256 nav = 1_000_000 * USDC + m.income;
        console2.log("interest and late fees earned", m.income);
        console2.log("NAV after one year           ", nav);
        console2.log("senior value (5 %)           ", seniorClaim);
        console2.log("junior value (the rest)      ", nav - seniorClaim);
        assertEq(m.principal, 0);
        assertEq(pool.totalPrincipal(), 0);
        assertEq(pool.cash(), m.cash);
        assertEq(pool.nav(), nav, "NAV = deposits + every unit of interest and late fee");
        assertLt(seniorClaim, 735_889_583_333, "less than 5 % on all of its 700k: only on its share of lent capital");
        assertEq(senior.totalAssets(), seniorClaim, "the senior got exactly its rate on lent capital");
        assertEq(junior.totalAssets(), nav - seniorClaim, "the junior got the rest");
        // Every loan paid at least the senior rate, so the junior, which carries the first loss, earned more than the
        // senior per unit (SPEC §9.8); before 0.3 it paid the senior's rate on idle cash and lost money here.
        assertGt((nav - seniorClaim) * 700_000, (seniorClaim - 0) * 300_000, "junior return above the senior's");
        assertGt(nav - seniorClaim, 300_000 * USDC);
        assertEq(senior.totalAssets() + junior.totalAssets(), pool.nav());

        // Both tranches take it out: the senior first (no subordination limit on it), then the junior (by request).
        uint256 bobShares = senior.balanceOf(bob);
        vm.prank(bob);
        uint256 seniorOut = senior.redeem(bobShares, bob, bob);
        assertLe(seniorClaim - seniorOut, 1, "the senior is paid its claim (virtual-share dust at most 1 unit)");
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 juniorOut = _juniorExit(alice, aliceShares); // a notice request: no loan is left to move NAV
        assertLe(seniorOut + juniorOut, nav, "never more than NAV is paid out");
        assertGe(seniorOut + juniorOut + 2, nav, "the junior is paid the rest (the senior's dust included)");
        console2.log("senior paid out", seniorOut);
        console2.log("junior paid out", juniorOut);
    }

    /// @dev The model's senior claim up to now, before a change of principal or cash (the pool does the same).
    function _checkpointClaim() internal {
        if (block.timestamp == m.claimAt) return;
        uint256 rate = m.principal == 0 ? 0 : 0.05e18 * m.principal / (m.principal + m.cash);
        m.claim = _compound(m.claim, rate, block.timestamp - m.claimAt);
        m.claimAt = block.timestamp;
    }

    function _open(MockCollection c, CollectionParams memory p, uint256 principal, uint256 duration) internal {
        _checkpointClaim();
        uint256 apr = _expectedApr(p.curve, principal);
        (uint256 id,) = _borrow(_nextBorrower(), c, principal, duration);
        Loan memory l = pool.loan(id);
        assertEq(l.apr, apr, "curve rate at utilization after the loan");
        loans.push(
            Planned({
                id: id,
                principal: principal,
                apr: apr,
                start: block.timestamp,
                maturity: block.timestamp + duration,
                lateFeeBps: p.lateFeeBps,
                repaid: false
            })
        );
        m.cash -= principal;
        m.principal += principal;
    }

    function _close(Planned storage l) internal {
        _checkpointClaim();
        uint256 interest = _interestUp(l.principal, l.apr, block.timestamp - l.start);
        uint256 lateFee = block.timestamp > l.maturity ? _divUp(l.principal * l.lateFeeBps, 10_000) : 0;
        address borrower = pool.loan(l.id).borrower;
        _fund(borrower, l.principal + interest + lateFee);
        vm.prank(borrower);
        assertEq(pool.repay(l.id, type(uint256).max), l.principal + interest + lateFee, "exact debt");
        l.repaid = true;
        m.cash += l.principal + interest + lateFee;
        m.principal -= l.principal;
        m.income += interest + lateFee;
    }

    /// @dev SPEC §3: U = borrowed / (borrowed + cash) after the loan (rounded up); Aave-style kinked curve, each
    ///      division rounded up.
    function _expectedApr(RateCurve memory c, uint256 principal) internal view returns (uint256) {
        uint256 borrowed = m.principal + principal;
        uint256 u = _divUp(borrowed * WAD, borrowed + m.cash - principal);
        uint256 below = u < c.kink ? u : c.kink;
        uint256 apr = c.baseRate + _divUp(uint256(c.slope1) * below, c.kink);
        if (u > c.kink) apr += _divUp(uint256(c.slope2) * (u - c.kink), WAD - c.kink);
        return apr;
    }

    function _interestUp(uint256 principal, uint256 apr, uint256 dt) internal pure returns (uint256) {
        return _divUp(principal * apr * dt, YEAR * WAD);
    }

    function _divUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /// @dev claim * (1 + x + x^2/2 + x^3/6), x = rate * dt / YEAR, each term rounded down (Morpho Blue's wTaylor).
    function _compound(uint256 claim, uint256 rate, uint256 dt) internal pure returns (uint256) {
        uint256 x = rate * dt / YEAR;
        uint256 x2 = x * x / (2 * WAD);
        uint256 x3 = x2 * x / (3 * WAD);
        return claim + claim * (x + x2 + x3) / WAD;
    }

    function _pushPrices() internal {
        _pushPrice(address(apes), FLOOR_A);
        _pushPrice(address(punks), FLOOR_B);
    }

    uint256 private _borrowerIndex;

    function _nextBorrower() internal returns (address) {
        return (_borrowerIndex++ % 2 == 0) ? carol : dave;
    }
}
