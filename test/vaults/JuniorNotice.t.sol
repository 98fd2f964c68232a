// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice SPEC §5 "Junior notice": the junior's notice period (governance, bounded), `serviceableAt`, FIFO service
///         that stops at the first request whose notice has not elapsed, and the default for upgraded proxies.
contract JuniorNoticeTest is StrataTestBase {
    event NoticePeriodSet(uint256 oldPeriod, uint256 newPeriod);

    function setUp() public override {
        super.setUp();
        _seedLiquidity(400_000 * USDC, 400_000 * USDC);
    }

    function test_noticePeriod_setByTheInitializer_seniorHasNone() public view {
        assertEq(junior.noticePeriod(), 1 days, "from the deployment config");
        assertEq(senior.noticePeriod(), 0);
    }

    function test_setNoticePeriod_governanceOnly_bounded_emits() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, alice));
        junior.setNoticePeriod(2 days);
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ParameterOutOfBounds.selector, bytes32("noticePeriod"), 1 hours - 1, 1 hours, 30 days
            )
        );
        junior.setNoticePeriod(1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ParameterOutOfBounds.selector, bytes32("noticePeriod"), 30 days + 1, 1 hours, 30 days
            )
        );
        junior.setNoticePeriod(30 days + 1);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.SeniorHasNoNotice.selector, 2 days));
        senior.setNoticePeriod(2 days);
        vm.expectEmit(address(junior));
        emit NoticePeriodSet(1 days, 2 days);
        junior.setNoticePeriod(2 days);
        vm.stopPrank();
        assertEq(junior.noticePeriod(), 2 days);
    }

    function test_fifo_stopsAtTheFirstRequestInItsNotice() public {
        uint256 s = junior.balanceOf(alice) / 100;
        vm.prank(alice);
        uint256 first = junior.requestRedeem(s, alice, alice);
        vm.warp(block.timestamp + 12 hours);
        vm.prank(alice);
        uint256 second = junior.requestRedeem(s, alice, alice);
        assertEq(junior.serviceableAt(first), junior.serviceableAt(second) - 12 hours);
        vm.warp(junior.serviceableAt(first));
        assertEq(junior.processQueue(10), 1, "the first only: the second is in its notice");
        assertGt(junior.redeemRequest(first).claimableAssets, 0);
        assertEq(junior.redeemRequest(second).claimableAssets, 0);
        (uint256 head,,) = junior.queue();
        assertEq(head, first, "the head stops before the second");
        // Shortening the notice applies to the pending request at once (one period for the whole line).
        vm.prank(gov);
        junior.setNoticePeriod(1 hours);
        assertEq(junior.serviceableAt(second), block.timestamp - 12 hours + 1 hours);
        assertEq(junior.processQueue(10), 1);
        assertGt(junior.redeemRequest(second).claimableAssets, 0);
    }

    /// @dev The notice on request `first` stops the line even for a later request whose notice would be over: no
    ///      request is served before an earlier one (lengthening the notice delays everyone alike).
    function test_lengtheningTheNotice_delaysTheWholeLine() public {
        uint256 s = junior.balanceOf(alice) / 100;
        vm.prank(alice);
        uint256 first = junior.requestRedeem(s, alice, alice);
        vm.prank(gov);
        junior.setNoticePeriod(3 days);
        vm.warp(block.timestamp + 2 days);
        assertEq(junior.processQueue(10), 0, "the longer notice applies to the pending request");
        vm.warp(junior.serviceableAt(first));
        assertEq(junior.processQueue(10), 1);
    }

    /// @dev A junior proxy initialized before the notice existed (storage 0) reads the 24 h default, so an upgrade
    ///      alone never leaves the junior without notice; governance then sets it.
    function test_upgradedJunior_readsTheDefaultUntilSet() public {
        bytes32 slot = bytes32(uint256(0x3d73c3fe7013218e35fe7a011e1d0ae03947641e8f400cecccefa4e621adaf00) + 4);
        assertEq(uint256(vm.load(address(junior), slot)), 1 days, "the notice's slot (last field of the namespace)");
        vm.store(address(junior), slot, bytes32(0)); // as left by the previous version
        assertEq(junior.noticePeriod(), junior.DEFAULT_NOTICE_PERIOD());
        assertEq(junior.DEFAULT_NOTICE_PERIOD(), 24 hours);
        vm.expectEmit(address(junior));
        emit NoticePeriodSet(24 hours, 2 days);
        vm.prank(gov);
        junior.setNoticePeriod(2 days);
        assertEq(junior.noticePeriod(), 2 days);
    }

    /// @dev Requests made before the upgrade have `requestedAt = 0`: nothing left to wait, served at once.
    function test_requestFromBeforeTheUpgrade_hasNoNoticeLeft() public {
        uint256 s = junior.balanceOf(alice) / 100;
        vm.prank(alice);
        uint256 id = junior.requestRedeem(s, alice, alice);
        // Clear `requestedAt` (bytes 20..24 of the request's first slot) as an old request would have it.
        bytes32 base =
            keccak256(abi.encode(id, uint256(0x3d73c3fe7013218e35fe7a011e1d0ae03947641e8f400cecccefa4e621adaf00) + 1));
        bytes32 word = vm.load(address(junior), base);
        assertEq(uint256(word) >> 160, block.timestamp, "requestedAt packed beside the controller");
        vm.store(address(junior), base, bytes32(uint256(uint160(alice))));
        assertEq(junior.redeemRequest(id).controller, alice);
        assertEq(junior.serviceableAt(id), 1 days);
        assertEq(junior.processQueue(1), 1);
    }

    function test_juniorInitializer_rejectsAnOutOfBoundsNotice() public {
        address impl = deployCode("TrancheVault.sol:TrancheVault", abi.encode(pool, Tranche.Junior, address(usdc)));
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ParameterOutOfBounds.selector, bytes32("noticePeriod"), 31 days, 1 hours, 30 days
            )
        );
        new ERC1967Proxy(
            impl,
            abi.encodeCall(
                TrancheVault.initialize,
                (IStrataPool(address(pool)), Tranche.Junior, address(usdc), "J", "J", gov, guardian, 31 days)
            )
        );
    }
}
