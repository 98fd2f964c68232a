// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Gas of each vault operation (SPEC §10, snapshots/vault.json). State is prepared in `setUp`, so the measured
///         call is the first of its transaction (cold accounts and slots, as on chain) while the state is "warm": the
///         pool has lenders, loans and a price, and the caller has deposited before. `_first` names the cold case.
contract VaultGasTest is StrataTestBase {
    address internal newcomer = makeAddr("newcomer");

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 400_000 * USDC);
        _borrow(carol, apes, 40_000 * USDC, 30 days);
        _borrow(dave, punks, 10_000 * USDC, 30 days);
        vm.warp(block.timestamp + 1 days);
        _fund(bob, 100_000 * USDC);
        _fund(alice, 100_000 * USDC);
        _fund(newcomer, 100_000 * USDC);
    }

    function _measure(TrancheVault v, address who, bytes memory call, string memory name)
        internal
        returns (uint256 gasUsed)
    {
        vm.prank(who);
        (bool ok,) = address(v).call(call);
        assertTrue(ok, name);
        gasUsed = vm.snapshotGasLastCall("vault", name);
        assertGt(gasUsed, 0);
    }

    function test_gas_deposit() public {
        uint256 used = _measure(senior, bob, abi.encodeCall(senior.deposit, (10_000 * USDC, bob)), "deposit");
        // 90k target until #12; the rate-integrity checkpoint (SPEC §3) adds ~11k at the first change of a timestamp.
        assertLe(used, 100_000, "deposit <= 90k target + the #12 rate checkpoint");
    }

    function test_gas_deposit_first() public {
        _measure(senior, newcomer, abi.encodeCall(senior.deposit, (10_000 * USDC, newcomer)), "deposit_first");
    }

    function test_gas_mint() public {
        _measure(senior, bob, abi.encodeCall(senior.mint, (1e16, bob)), "mint");
    }

    function test_gas_withdraw() public {
        _measure(senior, bob, abi.encodeCall(senior.withdraw, (10_000 * USDC, bob, bob)), "withdraw");
    }

    function test_gas_redeem() public {
        uint256 used = _measure(senior, bob, abi.encodeCall(senior.redeem, (1e16, bob, bob)), "redeem");
        assertLe(used, 94_000, "redeem <= 90k target + the #12 rate checkpoint");
    }

    function test_gas_junior_deposit() public {
        _measure(junior, alice, abi.encodeCall(junior.deposit, (10_000 * USDC, alice)), "junior_deposit");
    }

    function test_gas_junior_deposit_first() public {
        _measure(junior, newcomer, abi.encodeCall(junior.deposit, (10_000 * USDC, newcomer)), "junior_deposit_first");
    }

    function test_gas_junior_mint() public {
        _measure(junior, alice, abi.encodeCall(junior.mint, (1e16, alice)), "junior_mint");
    }

    function test_gas_junior_withdraw() public {
        _measure(junior, alice, abi.encodeCall(junior.withdraw, (10_000 * USDC, alice, alice)), "junior_withdraw");
    }

    function test_gas_junior_redeem() public {
        _measure(junior, alice, abi.encodeCall(junior.redeem, (1e16, alice, alice)), "junior_redeem");
    }
}
