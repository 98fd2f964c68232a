// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {CollectionConfig, CollectionParams, IStrataPool} from "../../src/interfaces/IStrataPool.sol";
import {CollectionRules} from "../../src/pool/logic/CollectionRules.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice Issue #30: the pool keeps a copy of each collection's lending configuration, so `borrow` and `extend` make no
///         call to the registry. The copy is written only by the registry, in the same call as every change of its
///         record; these tests read the pool's storage and check it equals the registry's record after every kind of
///         change, that nobody else can write it, and that a change takes effect for the very next borrow.
contract CollectionConfigCopyTest is StrataTestBase {
    /// @dev `PoolStorage.rarityRoots` (after `collectionConfigs`, `POOL_CONFIGS_SLOT`; appended in 0.4).
    uint256 internal constant ROOTS_SLOT = POOL_BASE + 21;

    address internal attacker = makeAddr("attacker");

    /// @dev The pool's copy for `c`, word by word (three slots), and its rarity root.
    function _copy(address c) internal view returns (bytes32[3] memory words, bytes32 root) {
        uint256 at = uint256(keccak256(abi.encode(c, POOL_CONFIGS_SLOT)));
        for (uint256 i; i < 3; ++i) {
            words[i] = vm.load(address(pool), bytes32(at + i));
        }
        root = vm.load(address(pool), keccak256(abi.encode(c, ROOTS_SLOT)));
    }

    /// @dev What the copy must hold: the registry's record through `CollectionRules.config`, packed as the pool
    ///      packs it (written to a scratch mapping of this contract's own storage).
    mapping(address => CollectionConfig) internal expected;

    function _assertCopy(address c) internal {
        (CollectionParams memory p, bool listed, bool paused) = registry.collection(c);
        expected[c] = CollectionRules.config(p, listed, paused, registry.noProofRarity(c));
        uint256 at;
        assembly {
            mstore(0, c)
            mstore(0x20, expected.slot)
            at := keccak256(0, 0x40)
        }
        (bytes32[3] memory words, bytes32 root) = _copy(c);
        for (uint256 i; i < 3; ++i) {
            assertEq(words[i], vm.load(address(this), bytes32(at + i)), "the pool's copy equals the registry's record");
        }
        assertEq(root, p.rarityRoot, "rarity root");
        assertTrue(words[0] != bytes32(0), "a listed collection has a copy");
    }

    function test_copy_equalsTheRecord_afterListingAndEveryChange() public {
        _assertCopy(address(apes));
        _assertCopy(address(punks));

        CollectionParams memory p = _paramsA();
        p.ltvBps = 3000;
        p.exposureCap = uint96(1234 * USDC);
        p.rarityRoot = keccak256("list");
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        _assertCopy(address(apes));
        (bytes32[3] memory words,) = _copy(address(apes));
        // A new list needs its own proof-less multiplier: until it is set, the copy says "proof required" (0).
        assertEq(uint16(uint256(words[0]) >> 240), 0, "noProofRarityBps is the top two bytes of the first word");

        vm.prank(gov);
        registry.setNoProofRarity(address(apes), 8000);
        _assertCopy(address(apes));
        (words,) = _copy(address(apes));
        assertEq(uint16(uint256(words[0]) >> 240), 8000);

        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        _assertCopy(address(apes));
        vm.prank(gov);
        registry.setCollectionPaused(address(apes), false);
        _assertCopy(address(apes));
    }

    function testFuzz_copy_equalsTheRecord(uint16 ltv, uint16 threshold, uint32 minDuration, uint96 cap) public {
        CollectionParams memory p = _paramsB();
        p.ltvBps = uint16(bound(ltv, 1, 9000));
        p.liquidationThresholdBps = uint16(bound(threshold, p.ltvBps + 1, 9500));
        p.minDuration = uint32(bound(minDuration, 1 days, 365 days));
        p.maxDuration = uint32(bound(uint256(minDuration) * 3, p.minDuration, 365 days));
        p.exposureCap = cap;
        vm.prank(gov);
        registry.configureCollection(address(punks), p);
        _assertCopy(address(punks));
    }

    function test_onlyTheRegistryWritesTheCopy() public {
        CollectionConfig memory c;
        c.listed = true;
        c.ltvBps = 9000;
        c.oracle = address(oracle);
        address[3] memory callers = [attacker, gov, guardian];
        for (uint256 i; i < 3; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotRegistry.selector, callers[i]));
            pool.setCollectionConfig(address(apes), c, bytes32(0));
        }
        _assertCopy(address(apes));
    }

    function test_syncPool_anyoneMay_copiesTheRecordOnly() public {
        address fresh = makeAddr("unlisted");
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, fresh));
        registry.syncPool(fresh);

        // Wipe the pool's copy (a collection listed before 0.4 has none), then anyone refills it from the record.
        _wipePoolCopy(address(apes));
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(apes)));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());

        vm.expectEmit(address(registry));
        emit ICollectionRegistry.PoolConfigSynced(address(apes));
        vm.prank(attacker);
        registry.syncPool(address(apes));
        _assertCopy(address(apes));
        vm.prank(attacker);
        registry.syncPool(address(apes)); // idempotent
        _assertCopy(address(apes));
        assertEq(address(registry.pool()), address(pool));
    }

    /// @dev A change binds the very next borrow: there is no window in which the pool lends under the old record.
    function test_aChangeBindsTheNextBorrow_atOnce() public {
        _seedLiquidity(800_000 * USDC, 300_000 * USDC);
        uint256 tokenId = _mintNft(apes, carol);
        uint256 principal = 40_000 * USDC; // 40 % of the 100k floor: within 50 % LTV
        CollectionParams memory p = _paramsA();
        p.ltvBps = 3000;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, principal, 30_000 * USDC));
        pool.borrow(address(apes), tokenId, principal, 30 days, type(uint256).max, _noProof());

        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionPaused.selector, address(apes)));
        pool.borrow(address(apes), tokenId, 20_000 * USDC, 30 days, type(uint256).max, _noProof());
        assertEq(apes.ownerOf(tokenId), carol, "nothing moved");
    }
}
