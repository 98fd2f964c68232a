// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice OpenZeppelin's ERC-4626 with nothing added: no proxy, no pool, no queue, no pause. The floor any
///         ERC-4626 deposit or redeem costs, as a peer figure for the senior vault (npm run bench:gas).
contract BareOzVault is ERC4626 {
    constructor(IERC20 asset_) ERC20("Bare OZ vault", "bOZ") ERC4626(asset_) {}
}

/// @notice Peer figures measured in the same forge run as Strata's (snapshots/peer.json): the bare OZ vault over the
///         same asset (the test stablecoin of StrataTestBase), with the warm state of test/gas/VaultGas.t.sol: the
///         vault holds other lenders' deposits, the caller has deposited before, a day has passed, and the measured
///         call is the first of its transaction.
contract PeerVaultGasTest is StrataTestBase {
    BareOzVault internal bare;

    function setUp() public override {
        super.setUp();
        bare = new BareOzVault(IERC20(address(usdc)));
        _fund(alice, 1_000_000 * USDC);
        _fund(bob, 1_000_000 * USDC);
        vm.prank(alice);
        usdc.approve(address(bare), type(uint256).max);
        vm.prank(bob);
        usdc.approve(address(bare), type(uint256).max);
        vm.prank(alice);
        bare.deposit(800_000 * USDC, alice);
        vm.prank(bob);
        bare.deposit(100_000 * USDC, bob);
        vm.warp(block.timestamp + 1 days);
        vm.roll(block.number + 1);
    }

    function test_gas_oz_erc4626_deposit() public {
        uint256 before = bare.balanceOf(bob);
        vm.prank(bob);
        bare.deposit(10_000 * USDC, bob);
        vm.snapshotGasLastCall("peer", "oz_erc4626_deposit");
        assertEq(bare.balanceOf(bob) - before, 10_000 * USDC, "1:1 shares");
    }

    function test_gas_oz_erc4626_redeem() public {
        uint256 before = usdc.balanceOf(bob);
        vm.prank(bob);
        bare.redeem(10_000 * USDC, bob, bob);
        vm.snapshotGasLastCall("peer", "oz_erc4626_redeem");
        assertEq(usdc.balanceOf(bob) - before, 10_000 * USDC, "1:1 assets");
    }
}
