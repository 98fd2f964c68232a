// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice F-6, unservable junior requests freeze cash (SPEC §5 "Queue fairness": the cash reserved for a queue is
///         what that queue can actually be paid now). Before the fix the reserve counted every pending junior share
///         at full value, even when subordination forbids serving it: a junior holder at the minimum ratio queued its
///         whole 200k (cost: nothing, it keeps earning and may cancel) and, once 800k was lent, the last 200k of cash
///         was usable by nobody: `borrow` reverted `InsufficientCash`, senior `maxWithdraw` was 0 and
///         `processQueue(10)` served 0.
contract UnservableJuniorRequestsFreezeCashTest is LiquidationBase {
    /// @dev 800k senior (bob) / 200k junior (alice): the junior sits exactly at the 20 % minimum ratio.
    function test_attack_unservableJuniorRequestsFreezeCash() public {
        uint256 shares = junior.balanceOf(alice);
        vm.prank(alice);
        uint256 req = junior.requestRedeem(shares, alice, alice);
        assertEq(pool.servable(Tranche.Junior), 0, "subordination: the junior request cannot be paid");
        for (uint256 i; i < 16; ++i) {
            _borrow(dave, apes, PRINCIPAL, 30 days);
        }
        assertEq(pool.cash(), 200_000 * USDC);
        console2.log("available cash with 200k of cash (units)", pool.availableCash());

        // Cash nobody can be paid from is not reserved: borrows and senior exits may use it.
        assertEq(pool.availableCash(), 200_000 * USDC, "nothing reserved for an unservable request");
        assertEq(senior.maxWithdraw(bob), 200_000 * USDC, "senior may exit up to cash");
        // A day later (past the notice) the loans' interest has made a little room, and exactly that is reserved.
        vm.warp(block.timestamp + 1 days);
        _refresh();
        uint256 room = pool.servable(Tranche.Junior);
        assertLt(room, 1000 * USDC, "a day of interest: a small room");
        assertEq(pool.availableCash(), pool.cash() - room, "the reserve is the room, not the 200k request");
        junior.processQueue(10);
        assertEq(junior.redeemRequest(req).claimableAssets, room, "served up to the room, no more");
        uint256 available = pool.availableCash();
        assertGt(available, 150_000 * USDC);
        (uint256 loanId,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertGt(loanId, 0, "a borrow uses the cash");

        // The reserve follows the room: a junior deposit makes room, which is then reserved for the line.
        _deposit(Tranche.Junior, carol, 100_000 * USDC);
        room = pool.servable(Tranche.Junior);
        assertGt(room, 50_000 * USDC, "room after the deposit");
        assertEq(pool.availableCash(), pool.cash() - room, "exactly the payable part is reserved");
        for (uint256 i; i < 2; ++i) {
            _borrow(carol, apes, PRINCIPAL, 30 days);
        }
        available = pool.availableCash();
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, PRINCIPAL, available));
        pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        uint256 servedBefore = junior.redeemRequest(req).claimableAssets;
        assertEq(junior.processQueue(10), 1, "served up to the room");
        assertEq(junior.redeemRequest(req).claimableAssets - servedBefore, room);
    }
}
