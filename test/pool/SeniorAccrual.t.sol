// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice SPEC §5.1 (issue #28): the senior claim accrues at `seniorRate × u`, `u = P / (P + cash)`, held piecewise
///         constant between changes of principal or cash: the senior is paid its rate on its share of lent capital
///         and nothing on idle cash. Expected figures are computed here from the SPEC formulas (`_compound`).
contract SeniorAccrualTest is LiquidationBase {
    function _seed() internal override {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
    }

    function test_idlePool_claimIsConstantOverAYear() public {
        uint256 claim = pool.seniorClaim();
        vm.warp(block.timestamp + 365 days);
        assertEq(pool.seniorClaim(), claim, "idle senior money earns nothing");
        // and a deposit (a checkpoint) a year later books nothing either
        _deposit(Tranche.Junior, alice, 1000 * USDC);
        assertEq(pool.seniorClaim(), claim);
    }

    function test_fullUtilization_accruesExactlyTheSeniorRate() public {
        // All 1M lent in 20 loans of 50k: u = 100 %.
        for (uint256 i; i < 20; ++i) {
            _borrow(dave, apes, PRINCIPAL, 90 days);
        }
        assertEq(pool.cash(), 0);
        uint256 claim = pool.seniorClaim();
        uint256 t0 = block.timestamp;
        vm.warp(t0 + 60 days);
        assertEq(pool.seniorClaim(), _compound(claim, SENIOR_RATE, 60 days), "today's rule at full utilization");
    }

    function test_halfUtilization_accruesHalfTheRate_piecewise() public {
        for (uint256 i; i < 10; ++i) {
            _borrow(dave, apes, PRINCIPAL, 90 days); // 500k of 1M: u = 50 %
        }
        uint256 claim = pool.seniorClaim();
        vm.warp(block.timestamp + 30 days);
        uint256 c1 = _compound(claim, SENIOR_RATE / 2, 30 days);
        assertEq(pool.seniorClaim(), c1, "half the rate at half utilization");
        // A borrow changes u to 75 %: the claim is checkpointed at the old u, then accrues at the new one.
        _refresh();
        for (uint256 i; i < 5; ++i) {
            _borrow(dave, apes, PRINCIPAL, 60 days);
        }
        uint256 p = pool.totalPrincipal();
        uint256 rate = SENIOR_RATE * p / (p + pool.cash());
        vm.warp(block.timestamp + 20 days);
        assertEq(pool.seniorClaim(), _compound(c1, rate, 20 days), "piecewise constant between changes");
    }

    /// @dev Flash liquidity cannot move the claim: a deposit and its withdrawal in one transaction or block change
    ///      nothing (state held for zero seconds has zero weight).
    function test_depositAndWithdrawal_inOneBlock_changeNoClaim() public {
        for (uint256 i; i < 10; ++i) {
            _borrow(dave, apes, PRINCIPAL, 90 days);
        }
        _deposit(Tranche.Junior, alice, 300_000 * USDC); // room for a large senior deposit
        vm.warp(block.timestamp + 10 days);
        uint256 snap = vm.snapshotState();
        vm.warp(block.timestamp + 10 days);
        uint256 honest = pool.seniorClaim();
        vm.revertToState(snap);

        uint256 amount = senior.maxDeposit(carol);
        assertGt(amount, 500_000 * USDC, "a large flash deposit");
        _fund(carol, amount);
        vm.startPrank(carol);
        uint256 s = senior.deposit(amount, carol);
        senior.redeem(s, carol, carol);
        vm.stopPrank();
        vm.warp(block.timestamp + 10 days);
        assertApproxEqAbs(pool.seniorClaim(), honest, 2, "a deposit and its withdrawal in one block change no claim");
    }

    /// @dev The risk-premium ordering (SPEC §9.8): with the book's net APR at or above the senior rate and no losses,
    ///      the junior share price grows at least as fast as the senior's over every step.
    function testFuzz_juniorGrowsAtLeastAsFastAsTheSenior(uint256 loans, uint256 dt1, uint256 dt2, uint256 depositSeed)
        public
    {
        loans = bound(loans, 1, 19);
        for (uint256 i; i < loans; ++i) {
            _borrow(dave, apes, PRINCIPAL, 90 days); // apr >= 5 % base >= the 5 % senior rate (no protocol fee)
        }
        uint256 unit = 1e12;
        uint256 s0 = senior.convertToAssets(unit);
        uint256 j0 = junior.convertToAssets(unit);
        vm.warp(block.timestamp + bound(dt1, 1 hours, 45 days));
        _refresh();
        _deposit(Tranche.Junior, bob, bound(depositSeed, 1, 100_000) * USDC);
        uint256 s1 = senior.convertToAssets(unit);
        uint256 j1 = junior.convertToAssets(unit);
        vm.warp(block.timestamp + bound(dt2, 1 hours, 40 days));
        uint256 s2 = senior.convertToAssets(unit);
        uint256 j2 = junior.convertToAssets(unit);
        // growth ratios, cross-multiplied: j1/j0 >= s1/s0 (within 2 units of rounding per price)
        assertGe((j1 + 2) * s0, j0 * s1, "step 1: junior grew less than the senior");
        assertGe((j2 + 2) * s1, j1 * s2, "step 2: junior grew less than the senior");
    }

    /// @dev A live 0.2 pool upgraded to this version (its senior slot has no `seniorAccrualMode`/`queuesPending`
    ///      bytes: zero, as `vm.store` leaves them here): the claim keeps the old rule (the full rate) until the
    ///      pool's first change, which checkpoints it under that rule and switches it: continuous across the
    ///      upgrade. The queue flag is rebuilt from the queue then, so a reserve is never lent out.
    function test_upgradedPool_continuesFromItsClaim_andRebuildsTheQueueFlag() public {
        for (uint256 i; i < 10; ++i) {
            _borrow(dave, apes, PRINCIPAL, 90 days); // u = 50 %
        }
        _deposit(Tranche.Junior, bob, 200_000 * USDC); // subordination room for a junior exit
        uint256 shares = junior.balanceOf(alice) / 10;
        vm.prank(alice);
        junior.requestRedeem(shares, alice, alice); // a junior request in its notice
        uint256 reserveBefore = pool.cash() - pool.availableCash();
        assertGt(reserveBefore, 0, "cash reserved for the queue");

        // Rewind the senior slot to 0.2's layout: clear the two bytes after `seniorRate` (offset 21 + 8 = 29, 30).
        bytes32 slot = bytes32(POOL_BASE + 9);
        uint256 word = uint256(vm.load(address(pool), slot));
        vm.store(address(pool), slot, bytes32(word & ~(uint256(0xffff) << 232)));
        uint256 claim = pool.seniorClaim();
        uint256 t0 = block.timestamp;

        vm.warp(t0 + 20 days);
        assertEq(pool.seniorClaim(), _compound(claim, SENIOR_RATE, 20 days), "the old rule until the first change");
        assertGt(pool.cash() - pool.availableCash(), reserveBefore / 2, "the reserve is read from the queue meanwhile");
        _refresh();
        _deposit(Tranche.Senior, carol, 1000 * USDC); // the first change: checkpoint, switch
        uint256 claim1 = _compound(claim, SENIOR_RATE, 20 days) + 1000 * USDC;
        assertEq(pool.seniorClaim(), claim1, "continuous across the switch");
        assertGt(pool.cash() - pool.availableCash(), 0, "the queue flag was rebuilt: the reserve still stands");
        uint256 p = pool.totalPrincipal();
        uint256 rate = SENIOR_RATE * p / (p + pool.cash());
        vm.warp(block.timestamp + 10 days);
        assertEq(pool.seniorClaim(), _compound(claim1, rate, 10 days), "then the rate on lent capital");
    }
}
