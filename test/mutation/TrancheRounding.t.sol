// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {MutationBase} from "./MutationBase.sol";

/// @notice Rounding of the tranche limits and previews with figures that do not divide exactly (odd deposits, a
///         30 % ratio, shares worth a fraction of an asset unit after interest), both vaults, and the governance
///         extreme of a zero junior ratio. Run for a 6- and an 18-decimal asset.
abstract contract TrancheRoundingBase is MutationBase {
    uint256 internal juniorIn;
    uint256 internal seniorIn;

    function setUp() public override {
        super.setUp();
        juniorIn = 200_000 * _unit() + 3;
        seniorIn = 700_000 * _unit() + 1;
        _seedLiquidity(seniorIn, juniorIn);
        _borrow(carol, apes, 40_000 * _unit() + 1, 60 days);
        vm.warp(block.timestamp + 17 days + 5);
    }

    // ------------------------------------------------------------------ subordination limits

    /// @dev SPEC §5: the largest senior deposit keeps `junior >= ratio * NAV`: `floor(J * 10_000 / 2100) - NAV`.
    function test_maxSeniorDeposit_nonDividingRatio_roundsDown() public {
        _setRatio(2100);
        uint256 j = pool.trancheValue(Tranche.Junior);
        uint256 nav = pool.nav();
        _assertInexact(j * BPS, 2100, "junior * BPS / ratio");
        uint256 expected = j * BPS / 2100 - nav;
        assertEq(pool.maxDeposit(Tranche.Senior), expected, "pool limit rounded down");
        assertEq(senior.maxDeposit(dave), expected, "vault limit = pool limit");
        _deposit(Tranche.Senior, dave, expected);
        assertEq(pool.maxDeposit(Tranche.Senior), 0, "the limit is exhausted");
        _fund(dave, 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxDeposit.selector, 1, 0));
        vm.prank(dave);
        senior.deposit(1, dave);
    }

    /// @dev Governance may set the junior ratio to 0 (PoolParameters): the senior is then bounded only by the
    ///      pool's 128-bit ledgers, and the junior may take out all it is worth (within cash).
    function test_zeroJuniorRatio_seniorUnbounded_juniorFree() public {
        _setRatio(0);
        uint256 cash = pool.cash();
        uint256 claim = pool.seniorClaim();
        assertEq(pool.maxDeposit(Tranche.Senior), type(uint128).max - (cash > claim ? cash : claim));
        uint256 j = pool.trancheValue(Tranche.Junior);
        assertEq(pool.servable(Tranche.Junior), j < cash ? j : cash, "junior queue limited by cash and value only");
        assertEq(pool.maxWithdraw(Tranche.Junior), 0, "no instant junior exit (junior notice)");
        _deposit(Tranche.Senior, dave, 5_000_000 * _unit());
        assertGt(senior.balanceOf(dave), 0);
    }

    /// @dev A senior exit takes its pro-rata share of the claim, rounded down (the remaining seniors keep the wei).
    function test_seniorExit_reducesClaimProRata_roundedDown() public {
        uint256 claim0 = pool.seniorClaim();
        uint256 supply = senior.totalSupply();
        uint256 shares = senior.balanceOf(bob) / 3;
        _assertInexact(claim0 * shares, supply, "claim * shares / supply");
        vm.prank(bob);
        senior.redeem(shares, bob, bob);
        assertEq(pool.seniorClaim(), claim0 - claim0 * shares / supply);
    }

    /// @dev A senior deposit made after time has passed adds to the claim compounded to now, and restarts the clock:
    ///      the claim is compounded once, not again from the previous checkpoint.
    function test_seniorDepositLater_claimCompoundsOnce() public {
        uint256 claim0 = pool.seniorClaim();
        assertGt(claim0, seniorIn, "17 days of senior rate");
        uint256 x = 10_000 * _unit() + 1;
        _deposit(Tranche.Senior, dave, x);
        assertEq(pool.seniorClaim(), claim0 + x, "no second compounding");
        vm.warp(block.timestamp + 30 days);
        // SPEC §5.1: at the senior rate times the utilization held since the deposit.
        uint256 p = pool.totalPrincipal();
        uint256 rate = 0.05e18 * p / (p + pool.cash());
        assertEq(pool.seniorClaim(), _compound(claim0 + x, rate, 30 days));
    }

    // ------------------------------------------------------------------ ERC-4626 views

    function test_previewDeposit_bothVaults_roundDown() public {
        for (uint256 i; i < 2; ++i) {
            Tranche t = Tranche(i);
            TrancheVault v = _vault(t);
            uint256 x = 12_345 * _unit() + 7;
            uint256 num = x * (v.totalSupply() + VIRTUAL_SHARES);
            uint256 den = pool.trancheDepositValue(t) + 1;
            _assertInexact(num, den, "previewDeposit");
            assertEq(v.previewDeposit(x), num / den);
            assertEq(_deposit(t, dave, x), num / den, "deposit mints the preview");
        }
    }

    /// @dev Shares worth a fraction of an asset unit: `maxWithdraw` is their value rounded down, and withdrawing it
    ///      works (one more unit would need more shares than the owner holds).
    function test_maxWithdraw_bothVaults_isTheFlooredValue() public {
        for (uint256 i; i < 2; ++i) {
            Tranche t = Tranche(i);
            TrancheVault v = _vault(t);
            _deposit(t, dave, 1000 * _unit() + 7);
            vm.warp(block.timestamp + 3 days + 1);
            uint256 bal = v.balanceOf(dave);
            _assertInexact(bal * (v.totalAssets() + 1), v.totalSupply() + VIRTUAL_SHARES, "share value");
            uint256 value = _assetsOf(t, bal);
            if (t == Tranche.Junior) {
                // Junior exits are notice requests (SPEC §5.8): no instant limit at all.
                assertEq(v.maxWithdraw(dave), 0, "junior: no instant withdraw");
                assertEq(v.maxRedeem(dave), 0, "junior: no instant redeem");
                continue;
            }
            assertEq(v.maxWithdraw(dave), value, "maxWithdraw = value of the shares, rounded down");
            assertEq(v.maxRedeem(dave), bal, "not limited: every share");
            uint256 before = usdc.balanceOf(dave);
            vm.prank(dave);
            v.withdraw(value, dave, dave);
            assertEq(usdc.balanceOf(dave) - before, value, "maxWithdraw can be withdrawn");
        }
    }

    /// @dev Cash below the holder's value: `maxRedeem` is the shares worth the instant limit, rounded down, and
    ///      redeeming them pays at most that limit.
    function test_maxRedeem_cappedByCash_roundsDown() public {
        _refreshPrices();
        for (uint256 k; k < 4; ++k) {
            _borrow(carol, apes, 50_000 * _unit(), 30 days);
        }
        _borrow(carol, apes, 40_000 * _unit() + 9, 30 days);
        vm.warp(block.timestamp + 1 days + 3);
        uint256 limit = pool.maxWithdraw(Tranche.Senior);
        assertLt(limit, _assetsOf(Tranche.Senior, senior.balanceOf(bob)), "cash binds");
        uint256 num = limit * (senior.totalSupply() + VIRTUAL_SHARES);
        uint256 den = senior.totalAssets() + 1;
        _assertInexact(num, den, "shares for the limit");
        assertEq(senior.maxRedeem(bob), num / den);
        assertEq(senior.maxWithdraw(bob), limit);
        vm.prank(bob);
        uint256 paid = senior.redeem(num / den, bob, bob);
        assertLe(paid, limit);
    }
}

contract MutationTrancheRounding6Test is TrancheRoundingBase {}

contract MutationTrancheRounding18Test is TrancheRoundingBase {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}

/// @notice The redemption queue's rounding on a pool whose cash is all lent out, then partly repaid before anyone
///         processes the queue: the reserve for pending shares rounds up, full service rounds the assets down, partial
///         service rounds the shares up.
abstract contract QueueRoundingBase is MutationBase {
    uint256 internal loan1;
    uint256 internal requestId;
    uint256 internal pending;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(60_000 * _unit() + 1, 20_000 * _unit() + 3);
        (loan1,) = _borrow(carol, apes, 50_000 * _unit(), 30 days);
        _borrow(carol, apes, pool.cash(), 30 days);
        assertEq(pool.cash(), 0, "everything lent out");
        vm.warp(block.timestamp + 9 days + 7);
        _fund(carol, 10_000 * _unit());
    }

    function _request(uint256 shares) internal {
        vm.prank(bob);
        requestId = senior.requestRedeem(shares, bob, bob);
        pending = shares;
        assertEq(senior.pendingRedeemRequest(requestId, bob), shares, "nothing servable: the request waits");
    }

    function test_queueReserve_roundsUp() public {
        _request(senior.balanceOf(bob) / 3);
        vm.prank(carol);
        pool.repay(loan1, type(uint256).max);
        uint256 num = pool.trancheValue(Tranche.Senior) * pending;
        uint256 supply = senior.totalSupply();
        _assertInexact(num, supply, "reserve");
        assertEq(pool.availableCash(), pool.cash() - _ceilDiv(num, supply), "cash not owed to the queue");
    }

    function test_fullService_assetsRoundDown() public {
        _request(senior.balanceOf(bob) / 3);
        vm.prank(carol);
        pool.repay(loan1, type(uint256).max);
        uint256 num = pending * (senior.totalAssets() + 1);
        uint256 den = senior.totalSupply() + VIRTUAL_SHARES;
        _assertInexact(num, den, "assets of the request");
        senior.processQueue(1);
        assertEq(senior.claimableRedeemRequest(requestId, bob), pending);
        assertEq(senior.redeemRequest(requestId).claimableAssets, num / den);
    }

    function test_partialService_sharesRoundUp() public {
        _request(senior.balanceOf(bob));
        vm.prank(carol);
        pool.repay(loan1, type(uint256).max);
        uint256 cap = pool.servable(Tranche.Senior);
        assertLt(cap, _assetsOf(Tranche.Senior, pending), "cash short of the request");
        uint256 num = cap * (senior.totalSupply() + VIRTUAL_SHARES);
        uint256 den = senior.totalAssets() + 1;
        _assertInexact(num, den, "shares for the cash");
        senior.processQueue(1);
        assertEq(senior.redeemRequest(requestId).claimableAssets, cap, "all the cash");
        assertEq(senior.claimableRedeemRequest(requestId, bob), _ceilDiv(num, den), "shares rounded up");
        assertEq(senior.pendingRedeemRequest(requestId, bob), pending - _ceilDiv(num, den));
    }
}

contract MutationQueueRounding6Test is QueueRoundingBase {}

contract MutationQueueRounding18Test is QueueRoundingBase {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}

/// @notice Junior requests wait in line for subordination room; when governance lowers the ratio, the room grows and
///         an instant junior withdrawal may use only what the queue is not owed (`room - owed`, `owed` rounded up),
///         exactly that much and no more.
abstract contract JuniorQueueBase is MutationBase {
    uint256 internal requestId;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(700_000 * _unit() + 1, 200_000 * _unit() + 3);
        uint256 shares = junior.balanceOf(alice) * 3 / 10;
        vm.prank(alice);
        requestId = junior.requestRedeem(shares, alice, alice);
        assertGt(junior.pendingRedeemRequest(requestId, alice), 0, "served in part, the rest waits for room");
        _setRatio(1000);
    }

    function _room() internal view returns (uint256) {
        uint256 j = pool.trancheValue(Tranche.Junior);
        uint256 nav = pool.nav();
        uint256 room = (j * BPS - 1000 * nav) / (BPS - 1000);
        return room < j ? room : j;
    }

    /// @dev Whatever room subordination leaves, a junior holder has no instant exit (SPEC §5.8): the queued request
    ///      keeps its place and an instant withdraw of one unit reverts with the ERC-4626 max error.
    function test_juniorInstantLimit_isZero_withRoomAndAQueue() public {
        (uint256 pending,) = pool.queueState(Tranche.Junior);
        assertGt(_room(), 0, "subordination leaves room");
        assertEq(junior.maxWithdraw(alice), 0);
        vm.expectRevert(abi.encodeWithSignature("ERC4626ExceededMaxWithdraw(address,uint256,uint256)", alice, 1, 0));
        vm.prank(alice);
        junior.withdraw(1, alice, alice);
        assertEq(junior.pendingRedeemRequest(requestId, alice), pending, "the queue keeps its place");
    }

    function test_juniorInstantWithdraw_oneAboveTheLimit_reverts() public {
        uint256 limit = junior.maxWithdraw(alice);
        vm.expectRevert();
        vm.prank(alice);
        junior.withdraw(limit + 1, alice, alice);
    }
}

contract MutationJuniorQueue6Test is JuniorQueueBase {}

contract MutationJuniorQueue18Test is JuniorQueueBase {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}
