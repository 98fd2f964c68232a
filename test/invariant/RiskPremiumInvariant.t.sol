// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RarityProof} from "../../src/interfaces/IStrataPool.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice A handler that never realises a loss: deposits into either tranche, borrows against the apes collection
///         (every apr at or above its 5 % base, the senior rate being 5 %, no protocol fee), full and partial
///         repayments before maturity, and time. After every action it compares each tranche's share price with
///         the one before: the junior's growth must be at least the senior's (SPEC §9.8), within 2 units per price.
contract RiskPremiumHandler is Test {
    StrataPool internal pool;
    TrancheVault internal senior;
    TrancheVault internal junior;
    MockStablecoin internal usdc;
    MockCollection internal apes;
    address internal lender = makeAddr("rp.lender");
    address internal borrower = makeAddr("rp.borrower");
    AppraisalOracle internal oracle;
    address internal reporter;

    uint256[] internal open;
    uint256 internal nextToken = 10_000;
    uint256 public seniorPrice;
    uint256 public juniorPrice;
    uint256 public violations;
    uint256 public steps;

    uint256 internal constant UNIT = 1e12; // one whole share (6 + 6 decimals)

    constructor(
        StrataPool pool_,
        TrancheVault senior_,
        TrancheVault junior_,
        MockStablecoin usdc_,
        MockCollection apes_,
        AppraisalOracle oracle_,
        address reporter_
    ) {
        (pool, senior, junior, usdc, apes) = (pool_, senior_, junior_, usdc_, apes_);
        (oracle, reporter) = (oracle_, reporter_);
        usdc.mint(borrower, 1e30);
        vm.startPrank(borrower);
        usdc.approve(address(pool), type(uint256).max);
        apes.setApprovalForAll(address(pool), true);
        vm.stopPrank();
        vm.startPrank(lender);
        usdc.approve(address(senior), type(uint256).max);
        usdc.approve(address(junior), type(uint256).max);
        vm.stopPrank();
        _record();
    }

    function _record() internal {
        seniorPrice = senior.convertToAssets(UNIT);
        juniorPrice = junior.convertToAssets(UNIT);
    }

    /// @dev Junior growth over the step at least the senior's: `j1/j0 >= s1/s0`, cross-multiplied, 2 units of slack.
    function _check() internal {
        uint256 s1 = senior.convertToAssets(UNIT);
        uint256 j1 = junior.convertToAssets(UNIT);
        if ((j1 + 2) * seniorPrice < juniorPrice * s1) ++violations;
        ++steps;
        _record();
    }

    function deposit(uint256 amount, bool intoJunior) external {
        TrancheVault v = intoJunior ? junior : senior;
        amount = bound(amount, 1e6, 200_000e6);
        uint256 max = v.maxDeposit(lender);
        if (amount > max) amount = max;
        if (amount < 1e6) return;
        _record();
        usdc.mint(lender, amount);
        vm.prank(lender);
        v.deposit(amount, lender);
        _check();
    }

    function borrow(uint256 principal, uint256 days_) external {
        principal = bound(principal, 1000e6, 50_000e6);
        if (principal > pool.availableCash()) return;
        _record();
        uint256 id = nextToken++;
        apes.mint(borrower, id);
        vm.prank(borrower);
        try pool.borrow(
            address(apes), id, principal, bound(days_, 7, 90) * 1 days, type(uint256).max, _noProof()
        ) returns (
            uint256 loanId
        ) {
            open.push(loanId);
        } catch {
            return;
        }
        _check();
    }

    function repay(uint256 seed, bool full) external {
        if (open.length == 0) return;
        uint256 i = seed % open.length;
        uint256 id = open[i];
        if (block.timestamp > pool.loan(id).maturity) full = true;
        _record();
        vm.prank(borrower);
        pool.repay(id, full ? type(uint256).max : pool.loan(id).principal / 4 + 1e6);
        if (full) {
            open[i] = open[open.length - 1];
            open.pop();
        }
        _check();
    }

    function warp(uint256 dt) external {
        // Never past a loan's maturity by more than its grace: nothing becomes overdue (no liquidation, no loss).
        dt = bound(dt, 1, 3 days);
        _record();
        vm.warp(block.timestamp + dt);
        _check();
        vm.prank(reporter);
        oracle.pushPrice(address(apes), 100_000e6); // keep the price fresh (the test base's floor)
        for (uint256 k; k < open.length;) {
            uint256 id = open[k];
            if (block.timestamp + 4 days > pool.loan(id).maturity) {
                vm.prank(borrower);
                pool.repay(id, type(uint256).max);
                open[k] = open[open.length - 1];
                open.pop();
            } else {
                ++k;
            }
        }
        _record();
    }

    function _noProof() internal pure returns (RarityProof memory r) {
        r.proof = new bytes32[](0);
    }
}

/// @notice SPEC §9.8 as an invariant: with no loss realised, the junior share price never grows more slowly than the
///         senior's over any step of the handler.
contract RiskPremiumInvariant is StrataTestBase {
    RiskPremiumHandler internal handler;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        handler = new RiskPremiumHandler(pool, senior, junior, usdc, apes, oracle, reporter);
        targetContract(address(handler));
    }

    function invariant_8_riskPremium_juniorGrowsAtLeastAsFastAsTheSenior() public view {
        assertEq(handler.violations(), 0, "the junior grew more slowly than the senior without a loss");
    }
}
