// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Auction, AuctionStatus} from "../../src/interfaces/ILiquidator.sol";
import {Loan, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Shared setup and independent arithmetic for the liquidation tests. Every expected number is computed here
///         from the SPEC formulas with plain integer arithmetic, never by calling the code under test.
abstract contract LiquidationBase is StrataTestBase {
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant SENIOR_RATE = 0.05e18;
    uint256 internal constant GRACE = 3 days;
    uint256 internal constant AUCTION_DURATION = 3 days;
    uint256 internal constant RECOVERY_TIMEOUT = 30 days;
    uint256 internal constant START_BPS = 15_000;
    uint256 internal constant END_BPS = 5000;
    uint256 internal constant PENALTY_A_BPS = 500;
    uint256 internal constant THRESHOLD_A_BPS = 7000;

    /// @dev Principal of the standard loan: 50 % of the apes floor (the LTV limit).
    uint256 internal constant PRINCIPAL = 50_000 * USDC;
    /// @dev Its rate: U = 50k / 1M = 5 %, apr = 5 % + 10 % * 0.05 / 0.8 = 5.625 % (apes curve).
    uint256 internal constant APR = 0.05625e18;

    address internal buyer = makeAddr("buyer");

    function setUp() public virtual override {
        super.setUp();
        _seed();
    }

    /// @dev 800k senior (bob), 200k junior (alice).
    function _seed() internal virtual {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
    }

    // ------------------------------------------------------------------ independent arithmetic

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    /// @dev SPEC §3: `ceil(principal * apr * elapsed / (365 days * 1e18))`.
    function _interest(uint256 principal, uint256 apr, uint256 elapsed) internal pure returns (uint256) {
        return _ceilDiv(principal * apr * elapsed, YEAR * WAD);
    }

    /// @dev The pool's closed-form accrued interest of one loan: rounded down.
    function _accruedDown(uint256 principal, uint256 apr, uint256 elapsed) internal pure returns (uint256) {
        return principal * apr * elapsed / (YEAR * WAD);
    }

    function _bpsUp(uint256 x, uint256 bps) internal pure returns (uint256) {
        return _ceilDiv(x * bps, 10_000);
    }

    function _bpsDown(uint256 x, uint256 bps) internal pure returns (uint256) {
        return x * bps / 10_000;
    }

    /// @dev SPEC §5: the senior claim compounded for `elapsed` (third-order Taylor, each term rounded down).
    function _compound(uint256 claim, uint256 rate, uint256 elapsed) internal pure returns (uint256) {
        uint256 x = rate * elapsed / YEAR;
        uint256 x2 = x * x / (2 * WAD);
        uint256 x3 = x2 * x / (3 * WAD);
        return claim + claim * (x + x2 + x3) / WAD;
    }

    /// @dev SPEC §5.1: the rate the senior claim accrues at with `principal` lent and `cash` idle: `seniorRate × P /
    ///      (P + cash)`, rounded down.
    function _accrualRate(uint256 principal, uint256 cash) internal pure returns (uint256) {
        return principal == 0 ? 0 : SENIOR_RATE * principal / (principal + cash);
    }

    /// @dev The senior claim of the standard setup (800k senior, 200k junior) after the standard loan (50k of 1M
    ///      lent) ran `dt` seconds: once the loan is impaired nothing is lent and the claim stops growing.
    function _claimAfterStandardLoan(uint256 dt) internal pure returns (uint256) {
        return _compound(800_000 * USDC, _accrualRate(PRINCIPAL, 1_000_000 * USDC - PRINCIPAL), dt);
    }

    /// @dev The Dutch price `elapsed` seconds into an auction: linear drop rounded down, then flat.
    function _dutch(uint256 startPrice, uint256 endPrice, uint256 elapsed) internal pure returns (uint256) {
        if (elapsed >= AUCTION_DURATION) return endPrice;
        return startPrice - (startPrice - endPrice) * elapsed / AUCTION_DURATION;
    }

    // ------------------------------------------------------------------ actions

    /// @dev Pushes `target` in steps the oracle accepts (at most 40 % per push, well inside its 50 % bound).
    function _crashTo(address collection, uint256 target) internal {
        (uint256 price,,) = oracle.floorPrice(collection);
        while (price > target) {
            uint256 next = price * 6 / 10;
            if (next < target) next = target;
            _pushPrice(collection, next);
            price = next;
        }
        if (price < target) _pushPrice(collection, target);
    }

    /// @dev Re-pushes the current value of both collections so they are fresh after a warp.
    function _refresh() internal {
        (uint256 a,,) = oracle.floorPrice(address(apes));
        (uint256 b,,) = oracle.floorPrice(address(punks));
        _pushPrice(address(apes), a);
        _pushPrice(address(punks), b);
    }

    /// @dev carol borrows the standard loan: 50k on apes for 30 days.
    function _standardLoan() internal returns (uint256 loanId, uint256 tokenId) {
        (loanId, tokenId) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertEq(pool.loan(loanId).apr, APR, "apr from the curve");
    }

    function _liquidate(uint256 loanId) internal {
        vm.prank(keeper);
        liquidator.liquidate(loanId);
    }

    function _overdue(uint256 loanId) internal {
        Loan memory l = pool.loan(loanId);
        vm.warp(uint256(l.maturity) + l.gracePeriod + 1);
    }

    function _assertAuction(uint256 id, uint256 start, uint256 end_, uint256 owed, uint256 t0, AuctionStatus s)
        internal
        view
    {
        Auction memory a = liquidator.auction(id);
        assertEq(a.startPrice, start, "startPrice");
        assertEq(a.endPrice, end_, "endPrice");
        assertEq(a.owed, owed, "owed");
        assertEq(a.startTime, t0, "startTime");
        assertEq(a.duration, AUCTION_DURATION, "duration");
        assertEq(uint256(a.status), uint256(s), "auction status");
    }

    function _assertLoanStatus(uint256 id, LoanStatus s) internal view {
        assertEq(uint256(pool.loan(id).status), uint256(s), "loan status");
    }

    function _assertTranches(uint256 seniorValue, uint256 juniorValue) internal view {
        assertEq(pool.trancheValue(Tranche.Senior), seniorValue, "senior value");
        assertEq(pool.trancheValue(Tranche.Junior), juniorValue, "junior value");
        assertEq(senior.totalAssets(), seniorValue, "senior vault totalAssets");
        assertEq(junior.totalAssets(), juniorValue, "junior vault totalAssets");
        assertEq(pool.nav(), seniorValue + juniorValue, "nav split");
    }

    function _assertSolvent() internal view {
        assertEq(usdc.balanceOf(address(pool)), pool.cash() + pool.protocolFees(), "pool balance == cash + fees");
        assertEq(
            usdc.balanceOf(address(liquidator)),
            liquidator.totalClaimable(),
            "only borrower surpluses rest in the liquidator"
        );
    }

    function _owner(MockCollection c, uint256 id) internal view returns (address) {
        return c.ownerOf(id);
    }
}
