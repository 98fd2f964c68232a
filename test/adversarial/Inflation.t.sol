// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice First-depositor inflation and donation attacks on both vaults. Cash is a ledger: a plain transfer to the
///         pool or a vault moves nothing. The only way to raise a tranche's value without minting shares is
///         `pool.recover` (booked income, anyone may pay it), which goes to the junior (the senior is capped by its
///         claim). With the 10^6 virtual-share offset the attacker loses about half of what it donates to the virtual
///         shares, while the victim loses dust.
contract InflationTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    function _seed() internal override {} // empty vaults

    /// @dev OpenZeppelin ERC-4626 with offset 6: shares = assets * (supply + 1e6) / (totalAssets + 1), rounded down.
    function _shares(uint256 assets, uint256 supply, uint256 total) internal pure returns (uint256) {
        return assets * (supply + 1e6) / (total + 1);
    }

    function _assets(uint256 shares, uint256 supply, uint256 total) internal pure returns (uint256) {
        return shares * (total + 1) / (supply + 1e6);
    }

    function test_attack_firstDepositorInflation_junior() public {
        uint256 donation = 10_000 * USDC;
        uint256 victimDeposit = 10_000 * USDC;
        uint256 a = _deposit(Tranche.Junior, attacker, 1);
        assertEq(a, 1e6, "1 wei buys 10^6 shares");
        _fund(attacker, donation);
        vm.prank(attacker);
        pool.recover(donation); // the only "donation" that moves NAV
        assertEq(junior.totalAssets(), donation + 1);

        uint256 v = _deposit(Tranche.Junior, alice, victimDeposit);
        assertEq(v, _shares(victimDeposit, a, donation + 1), "victim shares (independent formula)");
        uint256 supply = a + v;
        uint256 total = donation + 1 + victimDeposit;
        uint256 victimValue = _assets(v, supply, total);
        uint256 attackerValue = _assets(a, supply, total);
        assertEq(junior.convertToAssets(v), victimValue);
        assertEq(junior.convertToAssets(a), attackerValue);
        uint256 victimLoss = victimDeposit - victimValue;
        uint256 attackerLoss = donation + 1 - attackerValue;
        console2.log("junior inflation: victim loss (units)", victimLoss);
        console2.log("junior inflation: attacker loss (units)", attackerLoss);
        assertEq(victimLoss, 2500, "victim loses 0.0025 USDC of 10,000");
        assertEq(attackerLoss, 4_999_998_751, "attacker loses ~5,000 USDC of its 10,000 donation");

        // Zeroing the victim would need a donation above 2e6 x its deposit: the deposit then reverts, nothing lost.
        _fund(carol, 1);
        vm.prank(carol);
        vm.expectRevert(); // ZeroAmount: shares round to zero
        junior.deposit(1, carol);
    }

    function test_attack_firstDepositorInflation_senior() public {
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        uint256 a = _deposit(Tranche.Senior, attacker, 1);
        assertEq(a, 1e6);
        _fund(attacker, 50_000 * USDC);
        vm.prank(attacker);
        pool.recover(50_000 * USDC);
        assertEq(senior.totalAssets(), 1, "the senior is capped by its claim: the donation went to the junior");
        assertEq(junior.totalAssets(), 150_000 * USDC);
        uint256 v = _deposit(Tranche.Senior, bob, 10_000 * USDC);
        assertEq(v, 10_000 * USDC * 1e6, "fair shares");
        assertEq(senior.previewRedeem(v), 10_000 * USDC, "victim loses nothing");
    }

    function test_attack_donationToPoolOrVault_changesNothing() public {
        _seedLiquidity(400_000 * USDC, 100_000 * USDC);
        uint256 sa = senior.totalAssets();
        uint256 ja = junior.totalAssets();
        uint256 previewS = senior.previewDeposit(1000 * USDC);
        uint256 previewJ = junior.previewDeposit(1000 * USDC);
        uint256 maxW = junior.maxWithdraw(alice);
        usdc.mint(address(pool), 1_000_000 * USDC);
        usdc.mint(address(senior), 1_000_000 * USDC);
        usdc.mint(address(junior), 1_000_000 * USDC);
        assertEq(senior.totalAssets(), sa);
        assertEq(junior.totalAssets(), ja);
        assertEq(senior.previewDeposit(1000 * USDC), previewS);
        assertEq(junior.previewDeposit(1000 * USDC), previewJ);
        assertEq(junior.maxWithdraw(alice), maxW);
        assertEq(pool.cash(), 500_000 * USDC, "cash is a ledger");
    }
}
