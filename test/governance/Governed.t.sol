// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {CollectionRegistry} from "../../src/pool/CollectionRegistry.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @dev A minimal Governed contract: the two modifiers as a derived contract uses them.
contract GovernedHarness is Governed {
    uint256 public governed;
    uint256 public guarded;

    function init(address governance_, address guardian_) external initializer {
        __Governed_init(governance_, guardian_);
    }

    function onlyGov() external onlyGovernance {
        ++governed;
    }

    function pause(bool paused) external onlyPauser(paused) {
        ++guarded;
    }
}

/// @notice Governed on its own: initialization, both modifiers (governance; pause by guardian or governance, unpause by governance), guardian management.
contract GovernedTest is Test {
    GovernedHarness internal h;
    address internal gov = makeAddr("gov");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        h = new GovernedHarness();
        h.init(gov, guardian);
    }

    function test_init_setsGovernanceAndGuardianWithEvents() public {
        GovernedHarness g = new GovernedHarness();
        vm.expectEmit(address(g));
        emit Governed.GovernanceTransferred(address(0), gov);
        vm.expectEmit(address(g));
        emit Governed.GuardianSet(guardian, false, true);
        g.init(gov, guardian);
        assertEq(g.governance(), gov);
        assertEq(g.pendingGovernance(), address(0));
        assertTrue(g.isGuardian(guardian));
        assertFalse(g.isGuardian(gov));
    }

    function test_init_zeroGuardianIsSkipped() public {
        GovernedHarness g = new GovernedHarness();
        vm.recordLogs();
        g.init(gov, address(0));
        assertEq(vm.getRecordedLogs().length, 2, "GovernanceTransferred + Initialized, no GuardianSet");
        assertFalse(g.isGuardian(address(0)));
    }

    function test_init_rejectsZeroGovernanceAndSecondCall() public {
        GovernedHarness g = new GovernedHarness();
        vm.expectRevert(Governed.ZeroAddress.selector);
        g.init(address(0), guardian);
        vm.expectRevert();
        h.init(stranger, stranger);
    }

    function test_onlyPauser() public {
        vm.prank(gov);
        h.pause(true);
        vm.prank(guardian);
        h.pause(true);
        vm.prank(gov);
        h.pause(false);
        assertEq(h.guarded(), 3);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, stranger));
        h.pause(true);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        h.pause(false);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, stranger));
        h.pause(false);
    }

    function test_onlyGovernance() public {
        vm.prank(gov);
        h.onlyGov();
        assertEq(h.governed(), 1);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        h.onlyGov();
    }

    function test_setGuardian_addRemoveAndBounds() public {
        address g2 = makeAddr("g2");
        vm.expectEmit(address(h));
        emit Governed.GuardianSet(g2, false, true);
        vm.prank(gov);
        h.setGuardian(g2, true);
        assertTrue(h.isGuardian(g2));
        vm.prank(g2);
        h.pause(true);

        vm.expectEmit(address(h));
        emit Governed.GuardianSet(guardian, true, false);
        vm.prank(gov);
        h.setGuardian(guardian, false);
        assertFalse(h.isGuardian(guardian));
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, guardian));
        h.pause(true);

        vm.prank(gov);
        vm.expectRevert(Governed.ZeroAddress.selector);
        h.setGuardian(address(0), true);
        vm.prank(guardian); // a guardian cannot appoint guardians
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        h.setGuardian(stranger, true);
    }

    function test_twoStepTransfer() public {
        address next = makeAddr("next");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, stranger));
        h.transferGovernance(next);

        vm.expectEmit(address(h));
        emit Governed.GovernanceTransferStarted(gov, next);
        vm.prank(gov);
        h.transferGovernance(next);
        assertEq(h.pendingGovernance(), next);
        assertEq(h.governance(), gov, "nothing changes before acceptance");
        vm.prank(gov);
        h.onlyGov();

        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotPendingGovernance.selector, stranger));
        h.acceptGovernance();
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotPendingGovernance.selector, gov));
        h.acceptGovernance();

        vm.expectEmit(address(h));
        emit Governed.GovernanceTransferred(gov, next);
        vm.prank(next);
        h.acceptGovernance();
        assertEq(h.governance(), next);
        assertEq(h.pendingGovernance(), address(0));

        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, gov));
        h.onlyGov();
        vm.prank(next);
        h.onlyGov();
        vm.prank(next); // accepting twice is impossible
        vm.expectRevert(abi.encodeWithSelector(Governed.NotPendingGovernance.selector, next));
        h.acceptGovernance();
    }

    function test_transferToZeroCancels() public {
        address next = makeAddr("next");
        vm.startPrank(gov);
        h.transferGovernance(next);
        h.transferGovernance(address(0));
        vm.stopPrank();
        assertEq(h.pendingGovernance(), address(0));
        vm.prank(next);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotPendingGovernance.selector, next));
        h.acceptGovernance();
        // Governance is unchanged and still in force.
        assertEq(h.governance(), gov);
    }
}

/// @notice The same two-step transfer on a deployed contract behind its proxy (the registry): the timelock hands
///         over to a new timelock, and only the new one can then list a collection.
contract GovernedDeployedTest is StrataTestBase {
    function test_registryGovernanceHandover() public {
        address next = makeAddr("newTimelock");
        vm.prank(gov);
        registry.transferGovernance(next);
        vm.prank(next);
        registry.acceptGovernance();
        assertEq(registry.governance(), next);

        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, gov));
        registry.setCollectionPaused(address(apes), false);
        vm.prank(guardian); // the guardian set survives the handover
        registry.setCollectionPaused(address(apes), true);
        vm.prank(next);
        registry.setCollectionPaused(address(apes), false);
        (,, bool paused) = CollectionRegistry(address(registry)).collection(address(apes));
        assertFalse(paused);
    }
}
