// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {TrancheVaultV1} from "../mocks/TrancheVaultV1.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The junior's ERC-7540 upgrade over requests served by the previous release (`TrancheVaultV1`, the vault as
///         it was): what was served before stays claimable per request through `claimRedeem`; a request served in
///         part before and in part after moves into the controller's claimable total at its next service and is
///         claimed through `redeem`; nothing is lost or paid twice.
contract JuniorClaimUpgradeTest is StrataTestBase {
    /// @dev The junior runs `TrancheVaultV1` from before its first deposit, as a vault of the previous release did:
    ///      its own ERC-20 supply (OpenZeppelin's `_totalSupply`) follows every mint and burn until the upgrade. This
    ///      release's vault never writes it (SPEC §8.6), so the old code cannot run after it (see `TrancheVault`'s
    ///      `totalSupply`).
    function setUp() public override {
        super.setUp();
        _upgradeJunior(address(new TrancheVaultV1()));
        _seedLiquidity(600_000 * USDC, 400_000 * USDC);
    }

    function _upgradeJunior(address impl) internal {
        vm.prank(gov);
        junior.upgradeToAndCall(impl, "");
    }

    function test_requestsServedBeforeTheUpgrade_stayClaimable_andPartOnesMoveToTheTotal() public {
        TrancheVaultV1 v1 = TrancheVaultV1(address(junior));
        // Request 1 (small) is served in full; request 2 (more than the subordination room) in part.
        uint256 small = junior.convertToShares(10_000 * USDC);
        uint256 large = junior.convertToShares(300_000 * USDC);
        vm.startPrank(alice);
        uint256 id1 = v1.requestRedeem(small, alice, alice);
        uint256 id2 = v1.requestRedeem(large, alice, alice);
        vm.stopPrank();
        vm.warp(block.timestamp + junior.noticePeriod());
        _pushPrice(address(apes), _floorA());
        v1.processQueue(5);
        TrancheVaultV1.RedemptionRequest memory r1 = v1.redeemRequest(id1);
        TrancheVaultV1.RedemptionRequest memory r2 = v1.redeemRequest(id2);
        assertEq(r1.pendingShares, 0, "request 1 served in full");
        assertGt(r2.claimableShares, 0, "request 2 served in part");
        assertGt(r2.pendingShares, 0, "request 2 waits for room");

        uint256 legacySupply = v1.totalSupply();
        assertEq(legacySupply, _poolSupply(), "V1 kept its own supply equal to the pool's");
        _upgradeJunior(deployCode("TrancheVault.sol:TrancheVault", abi.encode(pool, Tranche.Junior, address(usdc))));
        assertEq(junior.totalSupply(), legacySupply, "the upgrade changes no supply");
        // Served before the upgrade: per request, in no controller's total.
        assertEq(junior.maxRedeem(alice), 0, "no total from before the upgrade");
        assertEq(junior.claimableRedeemRequest(id1, alice), r1.claimableShares, "request 1 still claimable");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxRedeem.selector, alice, 1, 0));
        junior.redeem(1, alice, alice);
        uint256 before = usdc.balanceOf(alice);
        vm.prank(alice);
        assertEq(junior.claimRedeem(id1, alice), r1.claimableAssets, "claimRedeem pays request 1 as served");
        assertEq(usdc.balanceOf(alice) - before, r1.claimableAssets);
        assertEq(junior.claimableRedeemRequest(id1, alice), 0, "request 1 done");

        // Room grows; request 2's rest is served under the new rules: its earlier part joins the total.
        _deposit(Tranche.Junior, dave, 400_000 * USDC);
        _pushPrice(address(apes), _floorA());
        junior.processQueue(5);
        ITrancheVault.RedemptionRequest memory n2 = junior.redeemRequest(id2);
        assertEq(n2.pendingShares, 0, "request 2 served in full now");
        assertEq(junior.maxRedeem(alice), n2.claimableShares, "both parts are in alice's total");
        assertEq(junior.claimableRedeemRequest(id2, alice), n2.claimableShares, "and in request 2's view");
        assertEq(junior.maxWithdraw(alice), n2.claimableAssets, "assets: the earlier part plus the rest");
        assertGt(n2.claimableAssets, r2.claimableAssets, "the rest was paid too");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.ClaimWithRedeem.selector, id2, alice));
        junior.claimRedeem(id2, alice);
        uint256 all = junior.maxRedeem(alice);
        before = usdc.balanceOf(alice);
        vm.prank(alice);
        assertEq(junior.redeem(all, alice, alice), n2.claimableAssets, "one ERC-7540 claim pays both parts");
        assertEq(usdc.balanceOf(alice) - before, n2.claimableAssets);
        assertEq(junior.totalClaimableAssets(), 0, "nothing left owed");
        assertEq(usdc.balanceOf(address(junior)), 0, "and nothing left in the vault");
        // After the upgrade the supply is the pool's ledger: dave's shares in, request 2's rest out.
        assertEq(junior.totalSupply(), _poolSupply(), "one share ledger");
        assertEq(junior.totalSupply(), junior.balanceOf(alice) + junior.balanceOf(dave), "the lenders hold it all");
        assertTrue(junior.totalSupply() != legacySupply, "not the frozen figure");
    }

    function _poolSupply() internal view returns (uint256 supply) {
        (, supply) = pool.queueState(Tranche.Junior);
    }
}
