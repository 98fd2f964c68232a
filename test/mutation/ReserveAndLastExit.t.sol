// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {MutationBase} from "./MutationBase.sol";

/// @notice The junior queue's cash reserve (SPEC §5: the pending shares' value rounded up, capped by the subordination
///         room), no instant junior exit at the pool, and the last senior exit taking the whole claim. Figures that do
///         not divide exactly (odd deposits, 11 days of interest on an odd principal); run for a 6- and an 18-decimal
///         asset.
abstract contract ReserveAndLastExitBase is MutationBase {
    function setUp() public override {
        super.setUp();
        _seedLiquidity(700_000 * _unit() + 1, 200_000 * _unit() + 3);
        _borrow(carol, apes, 40_000 * _unit() + 1, 60 days);
        vm.warp(block.timestamp + 11 days + 5);
        _refreshPrices();
    }

    /// @dev `min(floor((J * BPS - ratio * NAV) / (BPS - ratio)), J)`, the junior's subordination room (Waterfall).
    function _room() internal view returns (uint256) {
        (, uint256 ratio,,,,) = pool.parameters();
        uint256 j = pool.trancheValue(Tranche.Junior);
        uint256 nav = pool.nav();
        uint256 a = j * BPS;
        uint256 b = ratio * nav;
        uint256 room = a > b ? (a - b) / (BPS - ratio) : 0;
        return room < j ? room : j;
    }

    /// @dev Alice asks to redeem `shares` junior shares; the notice period keeps all of them pending.
    function _requestJunior(uint256 shares) internal returns (uint256 supply) {
        vm.prank(alice);
        uint256 id = junior.requestRedeem(shares, alice, alice);
        assertEq(junior.pendingRedeemRequest(id, alice), shares, "notice period: nothing served yet");
        uint256 pendingShares;
        (pendingShares, supply) = pool.queueState(Tranche.Junior);
        assertEq(pendingShares, shares, "the pool books the pending shares");
    }

    /// @dev Room to spare: the reserve is the pending shares' value rounded up (one more unit than rounding down);
    ///      the cash the rate curve and the senior's instant exits see is what is left beside it.
    function test_juniorReserve_pendingValueRoundedUp_whenTheRoomAllows() public {
        uint256 shares = junior.balanceOf(alice) / 97;
        uint256 supply = _requestJunior(shares);
        uint256 num = pool.trancheValue(Tranche.Junior) * shares;
        _assertInexact(num, supply, "junior value * pending / supply");
        uint256 reserve = _ceilDiv(num, supply);
        assertLt(reserve, _room(), "the room does not bind");
        uint256 cash = pool.cash();
        assertEq(pool.availableCash(), cash - reserve, "cash less the reserve, rounded up");
    }

    /// @dev A request worth more than the room: only the room is reserved (what subordination forbids paying out
    ///      freezes no cash).
    function test_juniorReserve_cappedByTheSubordinationRoom() public {
        uint256 shares = junior.balanceOf(alice) * 3 / 10;
        uint256 supply = _requestJunior(shares);
        uint256 room = _room();
        assertGt(room, 0, "subordination leaves some room");
        assertLt(room, pool.trancheValue(Tranche.Junior) * shares / supply, "the room binds");
        assertEq(pool.availableCash(), pool.cash() - room, "reserve = the room");
        assertEq(pool.servable(Tranche.Junior), room, "the junior queue may be paid the room, once its notice ends");
    }

    /// @dev SPEC §5 "Junior notice": the pool's instant junior limit is zero even with cash and room to spare.
    function test_noInstantJuniorExit_atThePool() public view {
        assertGt(_room(), 0, "room");
        assertGt(pool.cash(), 0, "cash");
        assertEq(pool.maxWithdraw(Tranche.Junior), 0, "junior exits are requests");
        assertEq(junior.maxWithdraw(alice), 0, "the vault follows");
    }

    /// @dev The last senior shares take the whole claim, although a whole senior's exit otherwise lowers it by the
    ///      assets paid: those are rounded down (virtual shares), so the claim would keep a dust nobody holds.
    function test_lastSeniorExit_takesTheWholeClaim() public {
        uint256 shares = senior.balanceOf(bob);
        assertEq(shares, senior.totalSupply(), "bob holds every senior share");
        uint256 claim = pool.seniorClaim();
        assertLe(claim, pool.nav(), "the senior is whole");
        uint256 paid = _assetsOf(Tranche.Senior, shares);
        assertLt(paid, claim, "the assets paid round below the claim");
        uint256 juniorBefore = pool.trancheValue(Tranche.Junior);
        vm.prank(bob);
        assertEq(senior.redeem(shares, bob, bob), paid);
        assertEq(pool.seniorClaim(), 0, "no claim left without senior shares");
        assertEq(pool.trancheValue(Tranche.Senior), 0);
        assertEq(pool.trancheValue(Tranche.Junior), juniorBefore + (claim - paid), "the dust goes to the junior");
    }
}

contract MutationReserveAndLastExit6Test is ReserveAndLastExitBase {}

contract MutationReserveAndLastExit18Test is ReserveAndLastExitBase {
    function _assetDecimals() internal pure override returns (uint8) {
        return 18;
    }
}
