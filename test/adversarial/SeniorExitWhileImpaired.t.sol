// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice A-4 (low, fixed): a senior instant exit while loans are in liquidation paid its forgone claim to the
///         junior. With 300k in liquidation the senior is impaired at its realised value and whole at book; an exit
///         is paid the realised price and the claim used to fall pro rata, so once the auctions settled the whole
///         difference went to the junior and none to the remaining seniors. Now the claim falls by the assets paid
///         (SPEC §5.1, `Waterfall.claimReduction`): the remaining seniors keep what the exiter forwent.
contract SeniorExitWhileImpairedTest is LiquidationBase {
    address internal leaver = makeAddr("leaver");
    uint256 internal constant LOANS = 6;

    /// @dev 250k junior (alice), 800k senior (bob) + 200k senior (leaver).
    function _seed() internal override {
        _seedLiquidity(800_000 * USDC, 250_000 * USDC);
        _deposit(Tranche.Senior, leaver, 200_000 * USDC);
    }

    function test_attack_seniorExitWhileImpaired_forgoneClaimStaysWithSeniors() public {
        uint256[] memory ids = new uint256[](LOANS);
        for (uint256 i; i < LOANS; ++i) {
            (ids[i],) = _borrow(dave, apes, PRINCIPAL, 30 days);
        }
        _crashTo(address(apes), 60_000 * USDC);
        for (uint256 i; i < LOANS; ++i) {
            _liquidate(ids[i]);
        }
        assertLt(senior.totalAssets(), pool.seniorClaim(), "impaired at its realised value");
        assertEq(pool.trancheDepositValue(Tranche.Senior), pool.seniorClaim(), "whole at book");

        uint256 snap = vm.snapshotState();
        // Without the exit: every auction sells at once, at a price covering what it owes (same instant in both
        // runs, so the senior claim accrues alike).
        for (uint256 i; i < LOANS; ++i) {
            _buy(buyer, ids[i]);
        }
        uint256 juniorNoExit = junior.totalAssets();
        uint256 bobNoExit = senior.convertToAssets(senior.balanceOf(bob));
        uint256 leaverNoExit = senior.convertToAssets(senior.balanceOf(leaver));
        vm.revertToState(snap);

        uint256 shares = senior.balanceOf(leaver);
        vm.prank(leaver);
        uint256 paid = senior.redeem(shares, leaver, leaver);
        console2.log("leaver paid for a 200k position (units)", paid);
        for (uint256 i; i < LOANS; ++i) {
            _buy(buyer, ids[i]);
        }
        console2.log("junior after, without / with the exit (units)", juniorNoExit, junior.totalAssets());
        assertLe(junior.totalAssets(), juniorNoExit + 1, "the junior takes nothing the leaver forwent");
        assertEq(senior.totalAssets(), pool.seniorClaim(), "the remaining seniors are whole");
        assertGe(
            senior.convertToAssets(senior.balanceOf(bob)) + 2,
            bobNoExit + (leaverNoExit - paid),
            "bob, the remaining senior, keeps what the leaver forwent"
        );
    }
}
