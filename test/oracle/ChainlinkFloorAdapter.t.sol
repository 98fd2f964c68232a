// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {ChainlinkFloorAdapter} from "../../src/oracle/ChainlinkFloorAdapter.sol";
import {MockAggregatorV3} from "../mocks/MockAggregatorV3.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Test} from "forge-std/Test.sol";

contract ChainlinkFloorAdapterTest is Test {
    event AssetDecimalsSet(uint8 assetDecimals);
    event FeedSet(address indexed collection, address oldFeed, uint32 oldMaxAge, address feed, uint32 maxAge);

    address internal gov = makeAddr("governance");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");
    address internal collection = makeAddr("collection");

    uint32 internal constant MAX_AGE = 1 days;

    ChainlinkFloorAdapter internal impl;
    ChainlinkFloorAdapter internal adapter; // asset with 6 decimals
    MockAggregatorV3 internal feed; // 18 decimals

    function setUp() public {
        vm.warp(1_700_000_000);
        impl = ChainlinkFloorAdapter(deployCode("ChainlinkFloorAdapter.sol:ChainlinkFloorAdapter"));
        adapter = _deploy(6);
        feed = new MockAggregatorV3(18);
        feed.setRound(12.5e18, block.timestamp);
        vm.prank(gov);
        adapter.setFeed(collection, address(feed), MAX_AGE);
    }

    function _deploy(uint8 assetDecimals) internal returns (ChainlinkFloorAdapter) {
        return ChainlinkFloorAdapter(
            address(
                new ERC1967Proxy(
                    address(impl), abi.encodeCall(ChainlinkFloorAdapter.initialize, (gov, guardian, assetDecimals))
                )
            )
        );
    }

    function _assertFloor(uint256 price, uint256 updatedAt, bool fresh) internal view {
        (uint256 p, uint256 u, bool f) = adapter.floorPrice(collection);
        assertEq(p, price, "price");
        assertEq(u, updatedAt, "updatedAt");
        assertEq(f, fresh, "fresh");
    }

    // ------------------------------------------------------------ initialization and storage

    function test_initialize_setsState() public view {
        assertEq(adapter.governance(), gov);
        assertTrue(adapter.isGuardian(guardian));
        assertEq(adapter.assetDecimals(), 6);
    }

    function test_initialize_emitsAssetDecimals() public {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        vm.expectEmit(true, true, true, true, predicted);
        emit AssetDecimalsSet(36);
        ChainlinkFloorAdapter a = _deploy(36);
        assertEq(a.assetDecimals(), 36);
    }

    function test_initialize_revertsOnAssetDecimalsAbove36() public {
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFloorAdapter.AssetDecimalsOutOfBounds.selector, 37, 36));
        _deploy(37);
    }

    function test_initialize_revertsOnZeroGovernance() public {
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(ChainlinkFloorAdapter.initialize, (address(0), guardian, 6)));
    }

    function test_initialize_revertsTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        adapter.initialize(stranger, stranger, 18);
    }

    function test_implementation_cannotBeInitialized() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(gov, guardian, 6);
    }

    function test_storage_isAtErc7201Slot() public view {
        bytes32 slot = keccak256(abi.encode(uint256(keccak256("strata.storage.ChainlinkFloorAdapter")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(slot, 0x60e89e75c2fdfe30cd07a7c931889ef9b58dd61e0283a527b1ecac8b0cc67e00);
        assertEq(uint256(vm.load(address(adapter), slot)), 6);
        uint256 word = uint256(vm.load(address(adapter), keccak256(abi.encode(collection, uint256(slot) + 1))));
        assertEq(address(uint160(word)), address(feed));
        assertEq(word >> 160, MAX_AGE);
    }

    // ------------------------------------------------------------ upgrades

    function test_upgrade_onlyGovernance() public {
        ChainlinkFloorAdapter next =
            ChainlinkFloorAdapter(deployCode("ChainlinkFloorAdapter.sol:ChainlinkFloorAdapter"));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, stranger));
        adapter.upgradeToAndCall(address(next), "");
    }

    function test_upgrade_byGovernanceKeepsState() public {
        ChainlinkFloorAdapter next =
            ChainlinkFloorAdapter(deployCode("ChainlinkFloorAdapter.sol:ChainlinkFloorAdapter"));
        vm.prank(gov);
        adapter.upgradeToAndCall(address(next), "");
        assertEq(adapter.assetDecimals(), 6);
        _assertFloor(12.5e6, block.timestamp, true);
    }

    // ------------------------------------------------------------ setFeed

    function test_setFeed_emitsOldAndNew() public {
        MockAggregatorV3 other = new MockAggregatorV3(8);
        vm.expectEmit(true, true, true, true, address(adapter));
        emit FeedSet(collection, address(feed), MAX_AGE, address(other), 3600);
        vm.prank(gov);
        adapter.setFeed(collection, address(other), 3600);
        ChainlinkFloorAdapter.Feed memory f = adapter.feedInfo(collection);
        assertEq(f.feed, address(other));
        assertEq(f.maxAge, 3600);

        address second = makeAddr("second");
        vm.expectEmit(true, true, true, true, address(adapter));
        emit FeedSet(second, address(0), 0, address(other), 60);
        vm.prank(gov);
        adapter.setFeed(second, address(other), 60);
    }

    function test_setFeed_revertsForNonGovernance() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        adapter.setFeed(collection, address(feed), MAX_AGE);
    }

    function test_setFeed_revertsOnZeroAddresses() public {
        vm.startPrank(gov);
        vm.expectRevert(Governed.ZeroAddress.selector);
        adapter.setFeed(address(0), address(feed), MAX_AGE);
        vm.expectRevert(Governed.ZeroAddress.selector);
        adapter.setFeed(collection, address(0), MAX_AGE);
        vm.stopPrank();
    }

    function test_setFeed_revertsOnMaxAgeOutOfBounds() public {
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(
                ChainlinkFloorAdapter.ParameterOutOfBounds.selector, bytes32("maxAge"), 59, 60, 7 days
            )
        );
        adapter.setFeed(collection, address(feed), 59);
        vm.expectRevert(
            abi.encodeWithSelector(
                ChainlinkFloorAdapter.ParameterOutOfBounds.selector, bytes32("maxAge"), 7 days + 1, 60, 7 days
            )
        );
        adapter.setFeed(collection, address(feed), 7 days + 1);
        adapter.setFeed(collection, address(feed), 7 days); // bound itself accepted
        vm.stopPrank();
    }

    function test_setFeed_revertsOnDecimalsAbove36() public {
        MockAggregatorV3 bad = new MockAggregatorV3(37);
        vm.prank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(ChainlinkFloorAdapter.FeedDecimalsOutOfBounds.selector, address(bad), 37, 36)
        );
        adapter.setFeed(collection, address(bad), MAX_AGE);
        bad.setDecimals(36);
        vm.prank(gov);
        adapter.setFeed(collection, address(bad), MAX_AGE);
        assertEq(adapter.feedInfo(collection).feed, address(bad));
    }

    function test_setFeed_revertsOnInvalidFeed() public {
        MockAggregatorV3 bad = new MockAggregatorV3(8);
        bad.setDecimalsMode(MockAggregatorV3.Mode.Revert);
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFloorAdapter.InvalidFeed.selector, address(bad)));
        adapter.setFeed(collection, address(bad), MAX_AGE);
        vm.stopPrank();
        bad.setDecimalsMode(MockAggregatorV3.Mode.ShortData);
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFloorAdapter.InvalidFeed.selector, address(bad)));
        adapter.setFeed(collection, address(bad), MAX_AGE);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFloorAdapter.InvalidFeed.selector, stranger));
        adapter.setFeed(collection, stranger, MAX_AGE); // no code
        vm.stopPrank();
    }

    // ------------------------------------------------------------ floorPrice

    function test_floorPrice_unknownCollection() public {
        (uint256 p, uint256 u, bool f) = adapter.floorPrice(makeAddr("unknown"));
        assertEq(p, 0);
        assertEq(u, 0);
        assertFalse(f);
    }

    function test_floorPrice_scalesDownRoundingDown() public {
        feed.setRound(1_234_567_890_123_456_789, block.timestamp); // 1.234567890123456789 at 18 decimals
        _assertFloor(1_234_567, block.timestamp, true);
    }

    function test_floorPrice_scalesUp() public {
        ChainlinkFloorAdapter a18 = _deploy(18);
        MockAggregatorV3 f8 = new MockAggregatorV3(8);
        f8.setRound(12.3456789e8, block.timestamp);
        vm.prank(gov);
        a18.setFeed(collection, address(f8), MAX_AGE);
        (uint256 p, uint256 u, bool fresh) = a18.floorPrice(collection);
        assertEq(p, 12.3456789e18);
        assertEq(u, block.timestamp);
        assertTrue(fresh);
    }

    function test_floorPrice_sameDecimals() public {
        feed.setDecimals(6);
        feed.setRound(777, block.timestamp);
        _assertFloor(777, block.timestamp, true);
    }

    function test_floorPrice_scalesToZeroIsNotFresh() public {
        feed.setRound(1e12 - 1, block.timestamp); // below one unit of a 6-decimal asset
        _assertFloor(0, block.timestamp, false);
    }

    function test_floorPrice_nonPositiveAnswerIsNotFresh() public {
        feed.setRound(0, block.timestamp);
        _assertFloor(0, block.timestamp, false);
        feed.setRound(-1e18, block.timestamp);
        _assertFloor(0, block.timestamp, false);
        feed.setRound(type(int256).min, block.timestamp);
        _assertFloor(0, block.timestamp, false);
    }

    function test_floorPrice_staleAfterMaxAge() public {
        uint256 t0 = block.timestamp;
        vm.warp(t0 + MAX_AGE);
        _assertFloor(12.5e6, t0, true);
        vm.warp(t0 + MAX_AGE + 1);
        _assertFloor(12.5e6, t0, false);
    }

    function test_floorPrice_futureOrZeroTimestampIsNotFresh() public {
        feed.setRound(12.5e18, block.timestamp + 1);
        _assertFloor(12.5e6, block.timestamp + 1, false);
        feed.setRound(12.5e18, 0);
        _assertFloor(12.5e6, 0, false);
    }

    function test_floorPrice_upscaleOverflowIsNotFresh() public {
        ChainlinkFloorAdapter a36 = _deploy(36);
        MockAggregatorV3 f0 = new MockAggregatorV3(0);
        f0.setRound(type(int256).max, block.timestamp);
        vm.prank(gov);
        a36.setFeed(collection, address(f0), MAX_AGE);
        (uint256 p, uint256 u, bool fresh) = a36.floorPrice(collection);
        assertEq(p, 0);
        assertEq(u, block.timestamp);
        assertFalse(fresh);
        // the largest non-overflowing answer converts exactly
        int256 maxOk = int256(type(uint256).max / 1e36);
        f0.setRound(maxOk, block.timestamp);
        (p,, fresh) = a36.floorPrice(collection);
        assertEq(p, uint256(maxOk) * 1e36);
        assertTrue(fresh);
    }

    function test_floorPrice_revertingFeedNeverReverts() public {
        feed.setRoundMode(MockAggregatorV3.Mode.Revert);
        _assertFloor(0, 0, false);
        feed.setRoundMode(MockAggregatorV3.Mode.ShortData);
        _assertFloor(0, 0, false);
        feed.setRoundMode(MockAggregatorV3.Mode.Normal);
        feed.setDecimalsMode(MockAggregatorV3.Mode.Revert);
        _assertFloor(0, 0, false);
        feed.setDecimalsMode(MockAggregatorV3.Mode.ShortData);
        _assertFloor(0, 0, false);
        feed.setDecimalsMode(MockAggregatorV3.Mode.Normal);
        _assertFloor(12.5e6, block.timestamp, true);
    }

    function test_floorPrice_feedDecimalsRaisedAbove36AfterSetIsNotFresh() public {
        feed.setDecimals(37);
        _assertFloor(0, 0, false);
    }

    function test_floorPrice_feedWithoutCodeNeverReverts() public {
        vm.etch(address(feed), "");
        _assertFloor(0, 0, false);
    }

    // ------------------------------------------------------------ fuzz

    /// Any answer, timestamp and decimals: never reverts, and the result is exactly floor(answer * 10^6 / 10^d).
    function testFuzz_floorPrice_conversionAndFreshness(int256 answer, uint256 updatedAt, uint8 feedDecimals) public {
        feedDecimals = uint8(bound(feedDecimals, 0, 36));
        feed.setDecimals(feedDecimals);
        feed.setRound(answer, updatedAt);
        (uint256 p, uint256 u, bool f) = adapter.floorPrice(collection);
        if (answer <= 0) {
            assertEq(p, 0);
            assertEq(u, updatedAt);
            assertFalse(f);
            return;
        }
        uint256 expected = feedDecimals >= 6
            ? uint256(answer) / 10 ** (feedDecimals - 6)
            : (uint256(answer) > type(uint256).max / 10 ** (6 - feedDecimals)
                    ? 0
                    : uint256(answer) * 10 ** (6 - feedDecimals));
        assertEq(p, expected);
        assertEq(u, updatedAt);
        bool expectFresh =
            expected > 0 && updatedAt != 0 && updatedAt <= block.timestamp && block.timestamp - updatedAt <= MAX_AGE;
        assertEq(f, expectFresh);
    }

    /// Fresh iff no more than maxAge seconds have passed since the feed's update.
    function testFuzz_floorPrice_staleness(uint32 maxAge, uint32 dt) public {
        maxAge = uint32(bound(maxAge, 60, 7 days));
        vm.prank(gov);
        adapter.setFeed(collection, address(feed), maxAge);
        uint256 t0 = block.timestamp;
        vm.warp(t0 + dt);
        _assertFloor(12.5e6, t0, uint256(dt) <= maxAge);
    }
}
