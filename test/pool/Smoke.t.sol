// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

contract SmokeTest is StrataTestBase {
    function test_lifecycle() public {
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        assertEq(pool.nav(), 1_000_000 * USDC);
        (uint256 loanId,) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        vm.warp(block.timestamp + 30 days);
        uint256 owed = lens.debt(loanId);
        _fund(carol, owed);
        vm.prank(carol);
        pool.repay(loanId, owed);
        assertEq(pool.nav(), 1_000_000 * USDC + owed - 40_000 * USDC);
        assertEq(senior.totalAssets(), pool.seniorClaim(), "senior whole");
        assertEq(senior.totalAssets() + junior.totalAssets(), pool.nav());
        assertEq(uint256(pool.trancheValue(Tranche.Senior)), senior.totalAssets());
    }
}
