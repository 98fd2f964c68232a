// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {IAppraisalOracle} from "../../src/interfaces/IAppraisalOracle.sol";
import {ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice Oracle manipulation by a reporter (trusted-ish: bounded per push) or by time (staleness).
contract OracleManipulationTest is LiquidationBase {
    function _value(address c) internal view returns (uint256 v) {
        (v,,) = oracle.floorPrice(c);
    }

    function test_attack_oracle_pushBeyondMaxDeviation_rejected() public {
        uint256 v = 100_000 * USDC; // apes: window 0, maxDeviation 50 %
        vm.startPrank(reporter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceDeviationTooHigh.selector, address(apes), v * 3 / 2 + 1, v, 5000
            )
        );
        oracle.pushPrice(address(apes), v * 3 / 2 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.PriceDeviationTooHigh.selector, address(apes), v / 2 - 1, v, 5000)
        );
        oracle.pushPrice(address(apes), v / 2 - 1);
        vm.stopPrank();
        assertEq(_value(address(apes)), v, "unchanged");
    }

    function test_attack_oracle_zeroPrice_rejected() public {
        vm.prank(reporter);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroPrice.selector, address(apes)));
        oracle.pushPrice(address(apes), 0);
        assertEq(_value(address(apes)), 100_000 * USDC);
    }

    function test_attack_oracle_nonReporterCannotPush() public {
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotReporter.selector, carol));
        oracle.pushPrice(address(apes), 100_001 * USDC);
    }

    /// @dev Measured limit: with `window == 0` every push replaces the value, so the per-push bound does not bound a
    ///      block. A compromised reporter multiplies the floor by 1.5^k with k pushes in one transaction; 5 pushes
    ///      take apes from 100k to 759,375 USDC and let a 379,687 USDC loan through at 50 % LTV on a 100k NFT.
    function test_attack_oracle_multiplePushesOneBlock_window0_compound() public {
        uint256 v = 100_000 * USDC;
        vm.startPrank(reporter);
        for (uint256 i; i < 5; ++i) {
            v = v * 3 / 2;
            oracle.pushPrice(address(apes), v);
        }
        vm.stopPrank();
        assertEq(_value(address(apes)), 759_375 * USDC, "1.5^5 in one block");
        console2.log("window 0: floor after 5 same-block pushes (USDC)", _value(address(apes)) / USDC);
        (uint256 id,) = _borrow(dave, apes, 379_687 * USDC, 30 days);
        assertEq(pool.loan(id).principal, 379_687 * USDC, "7.6x the honest limit");
    }

    /// @dev With `window > 0`, a push moves the EMA by `(price - value) * elapsed / window`: same-block pushes move it
    ///      by nothing, and the largest move in `t` seconds is `maxDeviation * t / window` (50 % x 1h/24h = 2.08 %).
    function test_attack_oracle_multiplePushesOneBlock_windowPositive_bounded() public {
        vm.prank(gov);
        oracle.configureCollection(address(apes), 1 days, 5000, 1 days);
        vm.warp(block.timestamp + 1);
        vm.prank(reporter);
        oracle.pushPrice(address(apes), 100_000 * USDC); // anchor updatedAt
        vm.startPrank(reporter);
        for (uint256 i; i < 10; ++i) {
            oracle.pushPrice(address(apes), 150_000 * USDC);
        }
        assertEq(_value(address(apes)), 100_000 * USDC, "same block: no move at all");
        vm.warp(block.timestamp + 1 hours);
        oracle.pushPrice(address(apes), 150_000 * USDC);
        vm.stopPrank();
        assertEq(_value(address(apes)), 100_000 * USDC + uint256(50_000 * USDC) * 3600 / 86_400, "+2.08 % per hour");
    }

    function test_attack_oracle_stalePrice_blocksBorrowExtendHealthLiquidation_notOverdue() public {
        (uint256 id,) = _standardLoan();
        _crashTo(address(apes), 60_000 * USDC); // 50k debt > 42k: unhealthy at a fresh price
        assertTrue(liquidator.isLiquidatable(id));
        vm.warp(block.timestamp + 1 days + 1); // past maxAge
        uint256 tokenId = _mintNft(apes, dave);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        pool.extend(id, 30 days, type(uint256).max);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NotLiquidatable.selector, id));
        liquidator.liquidate(id);
        // Overdue needs no price.
        _overdue(id);
        _liquidate(id);
        _assertLoanStatus(id, LoanStatus.Liquidating);
    }
}
