// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {IAppraisalOracle} from "../../src/interfaces/IAppraisalOracle.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Test} from "forge-std/Test.sol";

contract AppraisalOracleTest is Test {
    address internal gov = makeAddr("governance");
    address internal guardian = makeAddr("guardian");
    address internal reporter = makeAddr("reporter");
    address internal stranger = makeAddr("stranger");
    address internal collection = makeAddr("collection");

    uint32 internal constant WINDOW = 1 days;
    uint16 internal constant MAX_DEV = 1000; // 10 %
    uint32 internal constant MAX_AGE = 2 hours;

    AppraisalOracle internal impl;
    AppraisalOracle internal oracle;

    function setUp() public {
        vm.warp(1_700_000_000);
        impl = AppraisalOracle(deployCode("AppraisalOracle.sol:AppraisalOracle"));
        oracle = AppraisalOracle(
            address(new ERC1967Proxy(address(impl), abi.encodeCall(AppraisalOracle.initialize, (gov, guardian))))
        );
        vm.startPrank(gov);
        oracle.setReporter(reporter, true);
        oracle.configureCollection(collection, WINDOW, MAX_DEV, MAX_AGE);
        vm.stopPrank();
    }

    function _push(uint256 price) internal {
        vm.prank(reporter);
        oracle.pushPrice(collection, price);
    }

    function _value() internal view returns (uint256) {
        return oracle.collectionInfo(collection).value;
    }

    // ------------------------------------------------------------ initialization and storage

    function test_initialize_setsRoles() public view {
        assertEq(oracle.governance(), gov);
        assertTrue(oracle.isGuardian(guardian));
        assertTrue(oracle.isReporter(reporter));
        assertFalse(oracle.isReporter(stranger));
    }

    function test_initialize_emitsEvents() public {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        vm.expectEmit(true, true, true, true, predicted);
        emit Governed.GovernanceTransferred(address(0), gov);
        vm.expectEmit(true, true, true, true, predicted);
        emit Governed.GuardianSet(guardian, false, true);
        new ERC1967Proxy(address(impl), abi.encodeCall(AppraisalOracle.initialize, (gov, guardian)));
    }

    function test_initialize_revertsOnZeroGovernance() public {
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(AppraisalOracle.initialize, (address(0), guardian)));
    }

    function test_initialize_revertsTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        oracle.initialize(stranger, stranger);
    }

    function test_implementation_cannotBeInitialized() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(gov, guardian);
    }

    function test_storage_isAtErc7201Slot() public {
        bytes32 slot =
            keccak256(abi.encode(uint256(keccak256("strata.storage.AppraisalOracle")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(slot, 0xb26643cab40aef5296194c27fec3b75a6e47c9a0c1c144de48a209e315b58500);
        // reporters mapping is the struct's second member
        bytes32 reporterSlot = keccak256(abi.encode(reporter, uint256(slot) + 1));
        assertEq(uint256(vm.load(address(oracle), reporterSlot)), 1);
        // collection record: value (128) | updatedAt (40) | window (32) | maxDeviationBps (16) | maxAge (32)
        _push(5e18);
        uint256 word = uint256(vm.load(address(oracle), keccak256(abi.encode(collection, slot))));
        assertEq(word & type(uint128).max, 5e18);
        assertEq((word >> 128) & type(uint40).max, block.timestamp);
        assertEq((word >> 168) & type(uint32).max, WINDOW);
        assertEq((word >> 200) & type(uint16).max, MAX_DEV);
        assertEq((word >> 216) & type(uint32).max, MAX_AGE);
    }

    // ------------------------------------------------------------ upgrades

    function test_upgrade_onlyGovernance() public {
        AppraisalOracle next = AppraisalOracle(deployCode("AppraisalOracle.sol:AppraisalOracle"));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, stranger));
        oracle.upgradeToAndCall(address(next), "");
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        oracle.upgradeToAndCall(address(next), "");
    }

    function test_upgrade_byGovernanceKeepsState() public {
        _push(7e18);
        AppraisalOracle next = AppraisalOracle(deployCode("AppraisalOracle.sol:AppraisalOracle"));
        vm.prank(gov);
        oracle.upgradeToAndCall(address(next), "");
        assertEq(address(uint160(uint256(vm.load(address(oracle), ERC1967Utils.IMPLEMENTATION_SLOT)))), address(next));
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(price, 7e18);
        assertEq(updatedAt, block.timestamp);
        assertTrue(fresh);
        assertTrue(oracle.isReporter(reporter));
        assertEq(oracle.governance(), gov);
    }

    // ------------------------------------------------------------ setReporter

    function test_setReporter_grantsAndRevokesWithOldAndNewValue() public {
        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.ReporterSet(stranger, false, true);
        vm.prank(gov);
        oracle.setReporter(stranger, true);
        assertTrue(oracle.isReporter(stranger));

        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.ReporterSet(stranger, true, false);
        vm.prank(gov);
        oracle.setReporter(stranger, false);
        assertFalse(oracle.isReporter(stranger));
    }

    function test_setReporter_revertsForNonGovernance() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        oracle.setReporter(stranger, true);
        vm.prank(reporter);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, reporter));
        oracle.setReporter(stranger, true);
    }

    function test_setReporter_revertsOnZeroAddress() public {
        vm.prank(gov);
        vm.expectRevert(Governed.ZeroAddress.selector);
        oracle.setReporter(address(0), true);
    }

    function test_revokedReporter_cannotPush() public {
        vm.prank(gov);
        oracle.setReporter(reporter, false);
        vm.prank(reporter);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotReporter.selector, reporter));
        oracle.pushPrice(collection, 1e18);
    }

    // ------------------------------------------------------------ configureCollection

    function test_configureCollection_listsWithEvent() public {
        address other = makeAddr("other");
        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.OracleCollectionConfigured(other, 0, 0, 0, 3600, 250, 600);
        vm.prank(gov);
        oracle.configureCollection(other, 3600, 250, 600);
        IAppraisalOracle.Collection memory c = oracle.collectionInfo(other);
        assertEq(c.window, 3600);
        assertEq(c.maxDeviationBps, 250);
        assertEq(c.maxAge, 600);
        assertEq(c.value, 0);
        assertEq(c.updatedAt, 0);
    }

    function test_configureCollection_reconfigureEmitsOldValuesAndKeepsPrice() public {
        _push(10e18);
        uint256 pushedAt = block.timestamp;
        vm.warp(block.timestamp + 1 hours);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.OracleCollectionConfigured(collection, WINDOW, MAX_DEV, MAX_AGE, 0, 5000, 60);
        vm.prank(gov);
        oracle.configureCollection(collection, 0, 5000, 60);
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(price, 10e18);
        assertEq(updatedAt, pushedAt);
        assertFalse(fresh); // the tighter maxAge applies at once
        // a later push is deviation-checked against the kept value (not treated as a first push)
        vm.prank(reporter);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.PriceDeviationTooHigh.selector, collection, 16e18, 10e18, 5000)
        );
        oracle.pushPrice(collection, 16e18);
    }

    function test_configureCollection_acceptsBounds() public {
        vm.startPrank(gov);
        oracle.configureCollection(collection, 0, 1, 60);
        oracle.configureCollection(collection, 7 days, 5000, 7 days);
        vm.stopPrank();
        IAppraisalOracle.Collection memory c = oracle.collectionInfo(collection);
        assertEq(c.window, 7 days);
        assertEq(c.maxDeviationBps, 5000);
        assertEq(c.maxAge, 7 days);
    }

    function test_configureCollection_revertsForNonGovernance() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        oracle.configureCollection(collection, WINDOW, MAX_DEV, MAX_AGE);
    }

    function test_configureCollection_revertsOnZeroCollection() public {
        vm.prank(gov);
        vm.expectRevert(Governed.ZeroAddress.selector);
        oracle.configureCollection(address(0), WINDOW, MAX_DEV, MAX_AGE);
    }

    function test_configureCollection_revertsOnWindowTooLong() public {
        vm.prank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("window"), 7 days + 1, 0, 7 days
            )
        );
        oracle.configureCollection(collection, 7 days + 1, MAX_DEV, MAX_AGE);
    }

    function test_configureCollection_revertsOnDeviationOutOfBounds() public {
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxDeviationBps"), 0, 1, 5000
            )
        );
        oracle.configureCollection(collection, WINDOW, 0, MAX_AGE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxDeviationBps"), 5001, 1, 5000
            )
        );
        oracle.configureCollection(collection, WINDOW, 5001, MAX_AGE);
        vm.stopPrank();
    }

    function test_configureCollection_revertsOnMaxAgeOutOfBounds() public {
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxAge"), 59, 60, 7 days)
        );
        oracle.configureCollection(collection, WINDOW, MAX_DEV, 59);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxAge"), 7 days + 1, 60, 7 days
            )
        );
        oracle.configureCollection(collection, WINDOW, MAX_DEV, 7 days + 1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ pushPrice

    function test_pushPrice_firstPushSetsValueDirectly() public {
        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.PricePushed(collection, reporter, 42e18, 0, 42e18);
        _push(42e18);
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(price, 42e18);
        assertEq(updatedAt, block.timestamp);
        assertTrue(fresh);
    }

    function test_pushPrice_revertsForNonReporter() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotReporter.selector, gov));
        oracle.pushPrice(collection, 1e18);
    }

    function test_pushPrice_revertsOnUnknownCollection() public {
        address unknown = makeAddr("unknown");
        vm.prank(reporter);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.UnknownCollection.selector, unknown));
        oracle.pushPrice(unknown, 1e18);
    }

    function test_pushPrice_revertsOnZeroPrice() public {
        vm.prank(reporter);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroPrice.selector, collection));
        oracle.pushPrice(collection, 0);
    }

    function test_pushPrice_revertsOnPriceTooLarge() public {
        uint256 tooLarge = uint256(type(uint128).max) + 1;
        vm.prank(reporter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceTooLarge.selector, collection, tooLarge, uint256(type(uint128).max)
            )
        );
        oracle.pushPrice(collection, tooLarge);
        _push(type(uint128).max); // the maximum itself is accepted
        assertEq(_value(), type(uint128).max);
    }

    function test_pushPrice_deviationBoundIsInclusive() public {
        _push(1000e18);
        vm.warp(block.timestamp + WINDOW); // full window: an accepted push replaces the value
        _push(1100e18); // exactly +10 %
        assertEq(_value(), 1100e18);
        vm.warp(block.timestamp + WINDOW);
        _push(990e18); // exactly -10 % of 1100
        assertEq(_value(), 990e18);
    }

    function test_pushPrice_revertsAboveDeviation() public {
        _push(1000e18);
        vm.startPrank(reporter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceDeviationTooHigh.selector, collection, 1100e18 + 1, 1000e18, MAX_DEV
            )
        );
        oracle.pushPrice(collection, 1100e18 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceDeviationTooHigh.selector, collection, 900e18 - 1, 1000e18, MAX_DEV
            )
        );
        oracle.pushPrice(collection, 900e18 - 1);
        vm.stopPrank();
    }

    function test_pushPrice_emaMovesByElapsedFraction() public {
        _push(1000e18);
        vm.warp(block.timestamp + WINDOW / 2);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit IAppraisalOracle.PricePushed(collection, reporter, 1080e18, 1000e18, 1040e18);
        _push(1080e18);
        assertEq(_value(), 1040e18);
        vm.warp(block.timestamp + WINDOW / 4);
        _push(1000e18); // 1040 - 40 * 1/4
        assertEq(_value(), 1030e18);
    }

    function test_pushPrice_emaRoundsDownBothWays() public {
        vm.prank(gov);
        oracle.configureCollection(collection, 3, 5000, MAX_AGE);
        _push(100);
        vm.warp(block.timestamp + 1);
        _push(101); // 100 + 1/3 -> 100
        assertEq(_value(), 100);
        vm.warp(block.timestamp + 1);
        _push(99); // 100 - 1/3 = 99.67 -> 99
        assertEq(_value(), 99);
        vm.warp(block.timestamp + 2);
        _push(101); // 99 + 2 * 2/3 = 100.33 -> 100
        assertEq(_value(), 100);
    }

    function test_pushPrice_sameBlockKeepsValueButRefreshesTimestamp() public {
        _push(1000e18);
        vm.warp(block.timestamp + 1 hours);
        _push(1050e18); // 1000 + 50 * 1/24
        uint256 v = _value();
        assertEq(v, 1000e18 + uint256(50e18) / 24);
        _push(1050e18); // elapsed 0: no move
        assertEq(_value(), v);
        assertEq(oracle.collectionInfo(collection).updatedAt, block.timestamp);
    }

    function test_pushPrice_elapsedBeyondWindowTakesPrice() public {
        _push(1000e18);
        vm.warp(block.timestamp + WINDOW + 12 hours);
        _push(950e18);
        assertEq(_value(), 950e18);
    }

    function test_pushPrice_zeroWindowTakesLatest() public {
        vm.prank(gov);
        oracle.configureCollection(collection, 0, MAX_DEV, MAX_AGE);
        _push(1000e18);
        _push(1100e18);
        assertEq(_value(), 1100e18);
        _push(1000e18);
        assertEq(_value(), 1000e18);
    }

    // ------------------------------------------------------------ floorPrice

    function test_floorPrice_unknownCollection() public {
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(makeAddr("unknown"));
        assertEq(price, 0);
        assertEq(updatedAt, 0);
        assertFalse(fresh);
    }

    function test_floorPrice_listedButNeverPushed() public view {
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(price, 0);
        assertEq(updatedAt, 0);
        assertFalse(fresh);
    }

    function test_floorPrice_staleAfterMaxAge() public {
        _push(3e18);
        uint256 t0 = block.timestamp;
        vm.warp(t0 + MAX_AGE);
        (uint256 price, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(price, 3e18);
        assertEq(updatedAt, t0);
        assertTrue(fresh);
        vm.warp(t0 + MAX_AGE + 1);
        (price, updatedAt, fresh) = oracle.floorPrice(collection);
        assertEq(price, 3e18);
        assertEq(updatedAt, t0);
        assertFalse(fresh);
        // a new push makes it fresh again
        _push(3e18);
        (,, fresh) = oracle.floorPrice(collection);
        assertTrue(fresh);
    }

    // ------------------------------------------------------------ fuzz

    /// A push is accepted iff |price - value| * 10_000 <= value * maxDeviationBps.
    function testFuzz_pushPrice_deviationBound(uint128 value, uint128 price, uint16 maxDev) public {
        value = uint128(bound(value, 1, type(uint128).max));
        price = uint128(bound(price, 1, type(uint128).max));
        maxDev = uint16(bound(maxDev, 1, 5000));
        vm.prank(gov);
        oracle.configureCollection(collection, WINDOW, maxDev, MAX_AGE);
        _push(value);
        vm.warp(block.timestamp + WINDOW);

        uint256 diff = price > value ? uint256(price) - value : uint256(value) - price;
        bool within = diff * 10_000 <= uint256(value) * maxDev;
        vm.prank(reporter);
        if (!within) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAppraisalOracle.PriceDeviationTooHigh.selector, collection, price, value, maxDev
                )
            );
        }
        oracle.pushPrice(collection, price);
        assertEq(_value(), within ? price : value);
    }

    /// The new value lies between the old value and the pushed price, and equals floor of the exact EMA.
    function testFuzz_pushPrice_emaBetweenOldAndPrice(uint128 value, uint256 priceSeed, uint32 window, uint32 dt)
        public
    {
        value = uint128(bound(value, 2, type(uint128).max));
        window = uint32(bound(window, 0, 7 days));
        dt = uint32(bound(dt, 0, 8 days));
        // any price within the widest deviation bound (50 %)
        uint256 lo = uint256(value) - uint256(value) / 2;
        uint256 hi = uint256(value) + uint256(value) / 2;
        if (hi > type(uint128).max) hi = type(uint128).max;
        uint256 price = bound(priceSeed, lo, hi);

        vm.prank(gov);
        oracle.configureCollection(collection, window, 5000, MAX_AGE);
        _push(value);
        vm.warp(block.timestamp + dt);
        _push(price);
        uint256 v = _value();

        uint256 lower = price < value ? price : value;
        uint256 upper = price < value ? value : price;
        assertGe(v, lower);
        assertLe(v, upper);
        uint256 elapsed = dt < window ? dt : window;
        uint256 expected;
        if (window == 0) {
            expected = price;
        } else if (price >= value) {
            expected = value + (price - value) * elapsed / window; // fits: < 2^128 * 2^20
        } else {
            // floor(value - (value - price) * elapsed / window)
            uint256 num = uint256(value) * window - (uint256(value) - price) * elapsed;
            expected = num / window;
        }
        assertEq(v, expected);
        assertEq(oracle.emaUpdate(value, price, dt, window), expected);
    }

    /// Fresh iff a push happened and no more than maxAge seconds have passed since it.
    function testFuzz_floorPrice_staleness(uint32 maxAge, uint32 dt, uint128 price) public {
        maxAge = uint32(bound(maxAge, 60, 7 days));
        price = uint128(bound(price, 1, type(uint128).max));
        vm.prank(gov);
        oracle.configureCollection(collection, WINDOW, MAX_DEV, maxAge);
        _push(price);
        uint256 t0 = block.timestamp;
        vm.warp(t0 + dt);
        (uint256 p, uint256 updatedAt, bool fresh) = oracle.floorPrice(collection);
        assertEq(p, price);
        assertEq(updatedAt, t0);
        assertEq(fresh, uint256(dt) <= maxAge);
    }
}
