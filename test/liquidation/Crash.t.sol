// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AuctionStatus} from "../../src/interfaces/ILiquidator.sol";
import {LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice Market crash: two collections, 30 loans; the apes floor falls 60 % over a week in daily pushes inside the
///         oracle's deviation bound, the punks floor holds. Keepers liquidate every loan that becomes unhealthy, buyers
///         buy two days into each auction (or at the end), one borrower redeems. Every figure is re-derived here from
///         the SPEC formulas (the test's own model of cash, loans and auctions) and compared exactly; every NFT and
///         every token unit is accounted for.
contract CrashTest is LiquidationBase {
    uint256 internal constant N = 30;
    uint256 internal constant APES_THRESHOLD_BPS = 7000;

    struct Model {
        address borrower;
        MockCollection collection;
        uint256 tokenId;
        uint256 principal;
        uint256 apr;
        uint256 startPrice;
        uint256 endPrice;
        uint256 owed;
        uint256 liquidatedAt;
        uint256 liquidatedDay;
        address holder; // who must end up with the NFT
        bool liquidating;
        bool settled;
    }

    Model[N] internal m;
    uint256[N] internal ids;
    address internal buyer1 = makeAddr("buyer1");
    address internal buyer2 = makeAddr("buyer2");
    address[] internal holders;

    uint256 internal t0;
    uint256 internal cashModel;
    uint256 internal surplusModel;
    uint256 internal liquidations;
    uint256 internal sold;
    uint256 internal redeemedId = type(uint256).max;

    function _apesFloor(uint256 day) internal pure returns (uint256) {
        if (day > 7) day = 7;
        return (100_000 - 60_000 * day / 7) * USDC; // 100k -> 40k over 7 days, <= 8.6 % a step
    }

    function test_crash_30Loans_twoCollections() public {
        t0 = block.timestamp;
        holders.push(alice);
        holders.push(bob);
        holders.push(buyer1);
        holders.push(buyer2);
        holders.push(keeper);
        holders.push(treasury);
        holders.push(address(pool));
        holders.push(address(liquidator));

        // 15 apes loans of 20k..48k, 15 punks loans of 8k..15k, all at t0.
        cashModel = 1_000_000 * USDC;
        for (uint256 i; i < N; ++i) {
            bool isApe = i < 15;
            address b = makeAddr(string.concat("borrower", vm.toString(i)));
            holders.push(b);
            uint256 p = isApe ? (20_000 + 2000 * i) * USDC : (8000 + 500 * (i - 15)) * USDC;
            MockCollection c = isApe ? apes : punks;
            (uint256 id, uint256 tokenId) = _borrow(b, c, p, 30 days);
            ids[i] = id;
            m[i].borrower = b;
            m[i].collection = c;
            m[i].tokenId = tokenId;
            m[i].principal = p;
            m[i].apr = pool.loan(id).apr;
            m[i].holder = address(pool);
            cashModel -= p;
            _fund(b, 100_000 * USDC); // borrowers may redeem
        }
        _fund(buyer1, 2_000_000 * USDC);
        _fund(buyer2, 2_000_000 * USDC);
        assertEq(pool.cash(), cashModel, "cash after 30 borrows");
        assertEq(cashModel, 1_000_000 * USDC - 510_000 * USDC - 172_500 * USDC);

        uint256 supplyBefore = usdc.totalSupply();
        assertEq(_sumBalances(), supplyBefore, "every holder listed");

        // The senior claim (SPEC §5.1): checkpointed at every change of principal or cash, accruing in between at
        // the senior rate times the utilization that held.
        uint256 claimModel = 800_000 * USDC;
        uint256 lastCheckpoint = t0;
        for (uint256 day = 1; day <= 10; ++day) {
            vm.warp(t0 + day * 1 days);
            _pushPrice(address(apes), _apesFloor(day));
            _pushPrice(address(punks), 40_000 * USDC);
            (uint256 cashBefore, uint256 lentBefore) = (cashModel, _lentModel());
            _settleDay(day);
            _liquidateDay(day);
            if (cashModel != cashBefore || _lentModel() != lentBefore) {
                claimModel =
                    _compound(claimModel, _accrualRate(lentBefore, cashBefore), block.timestamp - lastCheckpoint);
                lastCheckpoint = block.timestamp;
            }
            _assertSolvent();
            assertEq(pool.cash(), cashModel, "cash matches the model");
        }

        // Outcome.
        // At the 40k floor the limit is 28k: the 11 apes loans of 28k..48k (28k plus any interest) are liquidated,
        // the 26k one (26k + ~45 USDC of interest) and every punks loan survive.
        assertEq(liquidations, 11, "liquidations");
        assertEq(sold, 10, "sold");
        for (uint256 i; i < N; ++i) {
            assertEq(m[i].liquidating, m[i].collection == apes && m[i].principal >= 28_000 * USDC, "who defaulted");
        }
        assertTrue(redeemedId != type(uint256).max, "one redemption");
        for (uint256 i; i < N; ++i) {
            assertEq(m[i].collection.ownerOf(m[i].tokenId), m[i].holder, "NFT where expected");
            if (m[i].liquidating) {
                assertTrue(m[i].settled, "every auction settled");
                _assertLoanStatus(ids[i], LoanStatus.Liquidated);
            } else {
                _assertLoanStatus(ids[i], LoanStatus.Active);
            }
        }
        assertEq(apes.balanceOf(address(liquidator)), 0, "nothing left in auction");

        // NAV = cash + principal and closed-form accrual of the active loans; waterfall on top.
        uint256 t = block.timestamp;
        uint256 activePrincipal;
        uint256 numerator;
        for (uint256 i; i < N; ++i) {
            if (m[i].liquidating) continue;
            activePrincipal += m[i].principal;
            numerator += m[i].principal * m[i].apr * (t - t0);
        }
        uint256 navModel = cashModel + activePrincipal + numerator / (YEAR * WAD);
        assertEq(pool.totalPrincipal(), activePrincipal, "principal of survivors");
        assertEq(pool.nav(), navModel, "NAV");
        uint256 claim = _compound(claimModel, _accrualRate(activePrincipal, cashModel), t - lastCheckpoint);
        assertLt(navModel - claim, 200_000 * USDC, "the junior lost value");
        _assertTranches(claim, navModel - claim);
        assertEq(liquidator.totalClaimable(), surplusModel, "borrower surpluses");
        assertGt(surplusModel, 0, "some auctions cleared above debt");
        emit log_named_uint("junior value after the crash", navModel - claim);
        emit log_named_uint("senior value after the crash", claim);

        // Surpluses are claimed; conservation of every token unit.
        for (uint256 i; i < N; ++i) {
            uint256 s = liquidator.claimable(m[i].borrower);
            if (s == 0) continue;
            uint256 before = usdc.balanceOf(m[i].borrower);
            vm.prank(m[i].borrower);
            liquidator.claim(m[i].borrower);
            assertEq(usdc.balanceOf(m[i].borrower), before + s);
            surplusModel -= s;
        }
        assertEq(surplusModel, 0);
        assertEq(liquidator.totalClaimable(), 0);
        _assertSolvent();
        assertEq(usdc.totalSupply(), supplyBefore, "no mint or burn");
        assertEq(_sumBalances(), supplyBefore, "no unit lost");
    }

    function _sumBalances() internal view returns (uint256 sum) {
        for (uint256 i; i < holders.length; ++i) {
            sum += usdc.balanceOf(holders[i]);
        }
    }

    /// @dev The model's view of health (SPEC §3): `debt > floor * threshold` at a fresh price.
    function _unhealthy(uint256 i, uint256 day) internal view returns (bool) {
        if (m[i].collection != apes) return false; // punks: <= 15k against a 24k limit
        uint256 debt = m[i].principal + _interest(m[i].principal, m[i].apr, block.timestamp - t0);
        return debt > _bpsDown(_apesFloor(day), APES_THRESHOLD_BPS);
    }

    function _liquidateDay(uint256 day) internal {
        for (uint256 i; i < N; ++i) {
            if (m[i].liquidating) continue;
            bool expected = _unhealthy(i, day);
            assertEq(liquidator.isLiquidatable(ids[i]), expected, "health matches the model");
            if (!expected) continue;
            uint256 navBefore = pool.nav();
            _liquidate(ids[i]);
            uint256 debt = m[i].principal + _interest(m[i].principal, m[i].apr, block.timestamp - t0);
            uint256 appraisal = _apesFloor(day);
            m[i].liquidating = true;
            m[i].liquidatedAt = block.timestamp;
            m[i].liquidatedDay = day;
            m[i].startPrice = _bpsUp(appraisal, START_BPS);
            m[i].endPrice = _bpsUp(appraisal, END_BPS);
            m[i].owed = debt + _bpsUp(debt, PENALTY_A_BPS);
            m[i].holder = address(liquidator);
            _assertAuction(ids[i], m[i].startPrice, m[i].endPrice, m[i].owed, block.timestamp, AuctionStatus.Running);
            // Impairment: the loan's book value (= debt, no protocol fee) leaves NAV, within the closed form's 1 wei.
            assertLe(navBefore - pool.nav(), debt);
            assertGe(navBefore - pool.nav() + 1, debt);
            ++liquidations;
        }
    }

    /// @dev Principal lent in the model: the loans not in liquidation.
    function _lentModel() internal view returns (uint256 lent) {
        for (uint256 i; i < N; ++i) {
            if (!m[i].liquidating) lent += m[i].principal;
        }
    }

    function _settleDay(uint256 day) internal {
        for (uint256 i; i < N; ++i) {
            if (!m[i].liquidating || m[i].settled) continue;
            if (redeemedId == type(uint256).max && day == m[i].liquidatedDay + 1) {
                // The first borrower to be liquidated redeems the next day: debt + penalty, NFT back.
                vm.prank(m[i].borrower);
                liquidator.redeem(ids[i]);
                cashModel += m[i].owed;
                m[i].holder = m[i].borrower;
                m[i].settled = true;
                redeemedId = ids[i];
                continue;
            }
            // A third of the auctions sell two days in (above debt: surplus to the borrower), the rest at the end
            // price, half the appraisal (a shortfall); day 10 clears whatever is left.
            uint256 wait = i % 3 == 0 ? 2 : 3;
            if (day != m[i].liquidatedDay + wait && day != 10) continue;
            uint256 price = _dutch(m[i].startPrice, m[i].endPrice, block.timestamp - m[i].liquidatedAt);
            address who = sold % 2 == 0 ? buyer1 : buyer2;
            vm.prank(who);
            assertEq(liquidator.buy(ids[i], price), price, "price matches the model");
            uint256 toPool = price < m[i].owed ? price : m[i].owed;
            cashModel += toPool;
            surplusModel += price - toPool;
            m[i].holder = who;
            m[i].settled = true;
            ++sold;
        }
    }
}
